using Microsoft.Extensions.Logging;

namespace LiteRestore.Inference;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Models root {Root} does not exist; no model will be served.")]
    public static partial void NoModelsRoot(ILogger logger, string root);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} is unavailable: {Reason}")]
    public static partial void ModelUnavailable(ILogger logger, ModelKey model, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution provider {Provider}: {Why}")]
    public static partial void ProviderChosen(ILogger logger, string provider, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model}: {Reason}")]
    public static partial void ProviderFallback(ILogger logger, ModelKey model, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} ready on {Provider}: {Sessions} session(s), batches up to {MaxBatch}, {ResidentBytes} bytes resident, loaded in {Elapsed}.")]
    public static partial void ModelReady(ILogger logger, ModelKey model, string provider, int sessions, int maxBatch, long residentBytes, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} sizes its CPU tiles per request, up to {LargestPixels} pixels a tile, at the tile costs measured {Measured}.")]
    public static partial void TilesSizedPerRequest(ILogger logger, ModelKey model, long largestPixels, string measured);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} runs native CPU tiles: its {File} holds no costs of this precision (bench/Benchmarks --tile-cost measures them).")]
    public static partial void NativeTilesWithoutCosts(ILogger logger, ModelKey model, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Engine ready: {Ready} of {Total} model(s) serving.")]
    public static partial void EngineReady(ILogger logger, int ready, int total);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model}: a batch of {Tiles} tile(s) failed.")]
    public static partial void BatchFailed(ILogger logger, Exception exception, ModelKey model, int tiles);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model}: batch moved to CPU: {Reason}")]
    public static partial void FellBack(ILogger logger, ModelKey model, string reason);
}
