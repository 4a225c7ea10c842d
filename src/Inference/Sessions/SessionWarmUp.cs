namespace LiteRestore.Inference;

/// <summary>
/// Runs every batch size once on every session of a model before it serves, so that no request pays for ONNX
/// Runtime's first runs, and measures the working memory each batch size needs.
/// </summary>
internal static class SessionWarmUp
{
    /// <summary>
    /// Working memory for a batch size is the process's growth over the idle session while that size ran (ONNX
    /// Runtime's arena keeps what the largest run so far needed) plus its tensors; it is measured on the first primary
    /// session. Each run is bounded by <paramref name="runTimeout"/>.
    /// </summary>
    public static Dictionary<int, long> Run(ModelSessions models, TimeSpan runTimeout, CancellationToken cancellationToken)
    {
        var working = new Dictionary<int, long>();
        foreach (var sessions in new[] { models.Primary, models.Fallback }.OfType<ProviderSessions>())
        {
            foreach (var session in sessions.Sessions)
            {
                var idle = Environment.WorkingSet;
                for (var batch = 1; batch <= models.MaxBatch; batch++)
                {
                    using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    limit.CancelAfter(runTimeout);
                    session.ClearInput(batch);
                    session.Run(batch, limit.Token);
                    if (sessions == models.Primary && session == sessions.Sessions[0])
                    {
                        working[batch] = Math.Max(0, Environment.WorkingSet - idle) + session.TensorBytes(batch);
                    }
                }
            }
        }

        return working;
    }
}
