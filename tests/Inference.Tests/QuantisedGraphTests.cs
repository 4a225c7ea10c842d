using System.Text.Json;
using LiteRestore.Contracts;
using LiteRestore.Inference.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;

namespace LiteRestore.Inference.Tests;

/// <summary>
/// Every other precision a card offers (the repository's models/ and LITERESTORE_EXTRA_PARITY_DIR): ONNX Runtime runs
/// its quantised convolutions as fused int8 kernels, reproduces the PyTorch simulation the quality was measured on, and
/// stays within the card's tolerance of the fp32 model.
/// </summary>
public sealed class QuantisedGraphTests
{
    /// <summary>
    /// The most ties rounded differently in ONNX Runtime (integer accumulation) than in the simulation (fp32) may move
    /// the output, compounded through the int8 layers: a few 8-bit levels.
    /// </summary>
    private const double MaxSimulationTolerance = 6.0 / 255;

    public static TheoryData<string, ModelPrecision> Precisions()
    {
        var data = new TheoryData<string, ModelPrecision>();
        foreach (var root in new[] { Fixtures.RepositoryModels, Fixtures.ExtraParityModels }.OfType<string>())
        {
            foreach (var folder in Directory.EnumerateDirectories(root).Order())
            {
                foreach (var precision in ModelRepository.Read(Path.GetFileName(folder), folder).Card?.Precisions ?? [])
                {
                    data.Add(folder, precision.Precision);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Precisions))]
    public void AQuantisedGraphMatchesItsSimulationAndStaysNearItsFp32Model(string folder, ModelPrecision precision)
    {
        var (card, entry) = Read(folder, precision);
        var simulation = ParityFixture.Read(Path.Combine(folder, entry.Parity));
        var fp32 = ParityFixture.Read(Path.Combine(folder, "parity.json"));
        Assert.Equal(fp32.Input, simulation.Input);

        using var session = new InferenceSession(Path.Combine(folder, entry.File));
        var actual = simulation.Run(session, card);

        var fromSimulation = ParityFixture.LargestDifference(actual, simulation.Output);
        var tolerance = Math.Min(simulation.Tolerance, MaxSimulationTolerance);
        Assert.True(fromSimulation <= tolerance, $"{folder} {precision}: {fromSimulation:g3} from its simulation > {tolerance:g3}");
        var fromFp32 = ParityFixture.LargestDifference(actual, fp32.Output);
        Assert.True(fromFp32 <= entry.ParityToleranceAgainstFp32,
            $"{folder} {precision}: {fromFp32:g3} from the fp32 model > {entry.ParityToleranceAgainstFp32:g3}");
    }

    [Theory]
    [MemberData(nameof(Precisions))]
    public void OnnxRuntimeRunsEveryQuantisedConvolutionAsAnInt8Kernel(string folder, ModelPrecision precision)
    {
        var (card, entry) = Read(folder, precision);
        var fixture = ParityFixture.Read(Path.Combine(folder, entry.Parity));
        var prefix = Path.Combine(Path.GetTempPath(), $"literestore-profile-{Guid.NewGuid():N}");
        using var options = new SessionOptions { EnableProfiling = true, ProfileOutputPathPrefix = prefix };
        using var session = new InferenceSession(Path.Combine(folder, entry.File), options);
        fixture.Run(session, card);
        var profile = session.EndProfiling();
        try
        {
            var kernels = KernelsRun(profile);

            Assert.Equal(entry.QuantisedConvolutions, kernels.GetValueOrDefault("QLinearConv"));
            Assert.Equal(entry.Fp32Convolutions, kernels.GetValueOrDefault("Conv") + kernels.GetValueOrDefault("FusedConv"));
        }
        finally
        {
            File.Delete(profile);
        }
    }

    [Theory]
    [MemberData(nameof(Precisions))]
    public void AQuantisedGraphsCardStatesItsQualityAndItsSpeedBesideFp32(string folder, ModelPrecision precision)
    {
        var (_, entry) = Read(folder, precision);

        Assert.NotEmpty(entry.Validation);
        Assert.NotNull(entry.Speed);
        Assert.True(entry.Speed.MsPerTile > 0 && entry.Speed.Fp32MsPerTile > 0, $"{folder} {precision}: {entry.Speed}");
        Assert.False(string.IsNullOrWhiteSpace(entry.Speed.MeasuredOn));
    }

    private static (ModelCard Card, PrecisionCard Entry) Read(string folder, ModelPrecision precision)
    {
        var model = ModelRepository.Read(Path.GetFileName(folder), folder);
        Assert.Null(model.Error);
        return (model.Card!, model.Card!.Precisions.Single(p => p.Precision == precision));
    }

    /// <summary>How many kernels of each operator one run executed, from ONNX Runtime's profile (one event per node run).</summary>
    private static Dictionary<string, int> KernelsRun(string profile)
    {
        using var events = JsonDocument.Parse(File.ReadAllBytes(profile));
        return events.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("cat").GetString() == "Node" && e.GetProperty("name").GetString()!.EndsWith("_kernel_time", StringComparison.Ordinal))
            .Select(e => e.GetProperty("args").GetProperty("op_name").GetString()!)
            .GroupBy(op => op)
            .ToDictionary(group => group.Key, group => group.Count());
    }
}
