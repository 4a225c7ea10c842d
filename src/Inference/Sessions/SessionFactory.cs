using LiteRestore.Contracts;
using Microsoft.ML.OnnxRuntime;

namespace LiteRestore.Inference;

/// <summary>
/// Creates sessions on the configured execution provider. Under <c>auto</c>, a machine whose CUDA libraries do not
/// load (<see cref="CudaProbe"/>) goes straight to CPU; otherwise whether CUDA works is learnt by creating a CUDA
/// session, since loadable libraries say nothing about the GPU and its driver.
/// </summary>
internal sealed class SessionFactory(InferenceOptions options)
{
    public const string CudaProvider = "cuda";
    public const string CpuProvider = "cpu";

    /// <summary>Why every model of this process runs on CPU, when that is decided before any session: null otherwise.</summary>
    public string? ProcessWideCpuReason { get; } = options.ExecutionProvider == ExecutionProviderPreference.Auto ? CudaProbe.Unavailable : null;

    /// <summary>The provider models are created on first, and why, for the one line the engine logs at start.</summary>
    public (string Provider, string Why) Choice => options.ExecutionProvider switch
    {
        ExecutionProviderPreference.Cpu => (CpuProvider, "Inference:ExecutionProvider is cpu"),
        ExecutionProviderPreference.Cuda => (CudaProvider, "Inference:ExecutionProvider is cuda"),
        _ when ProcessWideCpuReason is { } reason => (CpuProvider, reason),
        _ => (CudaProvider, "its libraries load; a model whose CUDA session fails runs on CPU and says why"),
    };

    public ModelSessions Create(ModelDescriptor model)
    {
        var card = model.Card ?? throw new InvalidOperationException($"Model '{model.Id}' has no valid card.");
        var shape = TileShape.Square(card.Input.Channels, card.Output.Channels, card.Tile.Size, card.Scale);
        var (first, provider, layout, fallbackReason) = CreateFirst(model.ModelPath);
        var sessions = new List<InferenceSession> { first };
        try
        {
            var (maxBatch, takesAnySize) = CheckGraph(first, model, card, shape, layout.MaxBatchTiles);
            for (var i = 1; i < layout.Sessions; i++)
            {
                sessions.Add(CreateSession(model.ModelPath, layout, provider == CudaProvider));
            }

            var primary = OnProvider(sessions, provider, card, shape, maxBatch);
            // The CPU sessions a failing CUDA batch falls back to take the same batches, so they keep the CUDA layout.
            var fallback = provider == CudaProvider
                ? OnProvider(Enumerable.Range(0, layout.Sessions).Select(_ => CreateSession(model.ModelPath, layout, cuda: false)).ToList(), CpuProvider, card, shape, maxBatch)
                : null;
            return new ModelSessions(primary, fallback, layout with { MaxBatchTiles = maxBatch }, fallbackReason, takesAnySize);
        }
        catch
        {
            sessions.ForEach(s => s.Dispose());
            throw;
        }
    }

    /// <summary>
    /// The model's first session, on CUDA where it is preferred and loads (with its layout), else on CPU with the reason
    /// it is not on CUDA.
    /// </summary>
    private (InferenceSession First, string Provider, EngineLayout Layout, string? FallbackReason) CreateFirst(string modelPath)
    {
        var cpuLayout = EngineLayouts.For(options, cuda: false);
        if (options.ExecutionProvider == ExecutionProviderPreference.Cpu || ProcessWideCpuReason is not null)
        {
            return (CreateSession(modelPath, cpuLayout, cuda: false), CpuProvider, cpuLayout, ProcessWideCpuReason);
        }

        var cudaLayout = EngineLayouts.For(options, cuda: true);
        try
        {
            return (CreateSession(modelPath, cudaLayout, cuda: true), CudaProvider, cudaLayout, null);
        }
        catch (Exception e) when (options.ExecutionProvider == ExecutionProviderPreference.Auto && e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            return (CreateSession(modelPath, cpuLayout, cuda: false), CpuProvider, cpuLayout, $"CUDA execution provider unavailable, running on CPU: {e.Message}");
        }
    }

    private static ProviderSessions OnProvider(List<InferenceSession> sessions, string provider, ModelCard card, TileShape shape, int maxBatch) =>
        new(sessions.Select(s => new PinnedSession(s, provider, card.Input.Name, card.Output.Name, shape, maxBatch)).ToList());

    /// <summary>
    /// Checks the graph's input and output against the card; returns the largest batch the graph accepts, and whether
    /// its input's height and width are free.
    /// </summary>
    private static (int MaxBatch, bool TakesAnySize) CheckGraph(InferenceSession session, ModelDescriptor model, ModelCard card, TileShape shape, int maxBatchTiles)
    {
        var file = model.ModelPath;
        var input = Tensor(session.InputMetadata, card.Input.Name, file, "input.name");
        var output = Tensor(session.OutputMetadata, card.Output.Name, file, "output.name");
        CheckDims(input, shape.InputChannels, shape.Width, file, "input");
        CheckDims(output, shape.OutputChannels, shape.OutputWidth, file, "output");
        var maxBatch = input.Dimensions[0] switch
        {
            < 1 => maxBatchTiles,
            1 => 1,
            var n => throw new InvalidDataException($"{file}: input '{card.Input.Name}' has a fixed batch of {n}; only a dynamic batch or 1 can be served."),
        };
        return (maxBatch, input.Dimensions[2] < 1 && input.Dimensions[3] < 1);
    }

    private static NodeMetadata Tensor(IReadOnlyDictionary<string, NodeMetadata> nodes, string name, string file, string field) =>
        nodes.TryGetValue(name, out var node) && node.IsTensor && node.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float
            ? node
            : throw new InvalidDataException($"{file}: no float tensor named '{name}' (card field '{field}'); the graph has {string.Join(", ", nodes.Keys)}.");

    private static void CheckDims(NodeMetadata node, int channels, int size, string file, string field)
    {
        var dims = node.Dimensions;
        var fits = dims.Length == 4
            && (dims[1] < 1 || dims[1] == channels)
            && (dims[2] < 1 || dims[2] == size)
            && (dims[3] < 1 || dims[3] == size);
        if (!fits)
        {
            throw new InvalidDataException($"{file}: {field} has shape [{string.Join(", ", dims)}]; the card says [n, {channels}, {size}, {size}] (card fields '{field}.channels', 'tile.size', 'scale').");
        }
    }

    private InferenceSession CreateSession(string path, EngineLayout layout, bool cuda)
    {
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = options.GraphOptimizationLevel switch
            {
                GraphOptimization.Disabled => GraphOptimizationLevel.ORT_DISABLE_ALL,
                GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
            IntraOpNumThreads = layout.IntraOpThreads,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (cuda)
        {
            sessionOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
        }

        return new InferenceSession(path, sessionOptions);
    }
}
