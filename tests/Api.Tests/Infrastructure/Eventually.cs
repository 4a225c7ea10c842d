namespace LiteRestore.Api.Tests.Infrastructure;

/// <summary>Reads something the service changes in the background until it holds, or a deadline passes.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The first value of <paramref name="read"/> that <paramref name="holds"/> is true of, or the last one read when
    /// <paramref name="deadline"/> has passed; <paramref name="between"/> runs between two reads.
    /// </summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> holds, TimeSpan deadline, Action? between = null)
    {
        var end = DateTime.UtcNow + deadline;
        while (true)
        {
            var value = await read();
            if (holds(value) || DateTime.UtcNow > end)
            {
                return value;
            }

            between?.Invoke();
            await Task.Delay(Interval);
        }
    }
}
