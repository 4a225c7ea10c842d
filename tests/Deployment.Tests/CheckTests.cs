using LiteRestore.Deployment.Tests.Infrastructure;

namespace LiteRestore.Deployment.Tests;

/// <summary>The consistency checks catch the mistakes they are for: each of these would fail DeploymentConsistencyTests.</summary>
public sealed class CheckTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Theory]
    [InlineData("sum by (model) (rate(literestore_request_total[5m]))", "metric literestore_request_total")]
    [InlineData("histogram_quantile(0.95, sum by (model, le) (rate(literestore_request_duration_bucket[5m])))", "metric literestore_request_duration_bucket")]
    [InlineData("sum by (modle) (literestore_queue_depth)", "label modle")]
    [InlineData("sum(rate(literestore_failures_total{reason=~\"overload|timeout\"}[5m]))", "value reason=\"overload\"")]
    [InlineData("label_values(literestore_model_memory_resident_bytes, models)", "label models")]
    public void AMisspeltMetricLabelOrValueInAQueryIsReported(string query, string problem)
    {
        Assert.Contains(service.QueryProblems(query), p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void ACorrectQueryIsNotReported()
    {
        Assert.Empty(service.QueryProblems(
            "sum by (model, reason) (rate(literestore_failures_total{model=~\"$model\",reason=~\"overloaded|timeout\"}[$__rate_interval]))"));
    }

    [Theory]
    [InlineData("Inference__ExecutionProvidr", "Cuda")]
    [InlineData("Inference__ExecutionProvider", "Gpu")]
    [InlineData("Inference__MaxBatchTiles", "0")]
    [InlineData("Inference__CircuitBreaker__BreakDurations", "00:00:10")]
    [InlineData("Infrence__ModelsRoot", "models")]
    [InlineData("RateLimiting__TokenLimit", "many")]
    public void AMisspeltOptionOrAnInvalidValueIsReported(string variable, string value)
    {
        Assert.NotNull(OptionBinding.Problem(service.OptionSections, variable, value));
    }

    [Theory]
    [InlineData("Inference__ExecutionProvider", "Cuda")]
    [InlineData("Inference__CircuitBreaker__BreakDuration", "00:00:10")]
    [InlineData("ImageLimits__MaxPixels", "1000000")]
    [InlineData("Api__DefaultVariant", "Baseline")]
    [InlineData("RateLimiting__Enabled", "false")]
    public void ARealOptionWithAValidValueBinds(string variable, string value)
    {
        Assert.Null(OptionBinding.Problem(service.OptionSections, variable, value));
    }
}
