using System.Collections.Concurrent;
using System.Security.Cryptography;
using LiteRestore.Api.Endpoints;
using LiteRestore.Contracts;
using Microsoft.Extensions.Options;

namespace LiteRestore.Api.Jobs;

/// <summary>
/// The jobs held now and their results on disk, bounded in number (<see cref="JobOptions.MaxJobs"/>), in time
/// (<see cref="JobOptions.TimeToLive"/>) and in bytes (<see cref="JobOptions.QuotaMegabytes"/>). Expired jobs are swept
/// whenever the store is used. State lives in memory: a restart forgets the jobs, and the results left are deleted.
/// </summary>
internal sealed class JobStore : IDisposable
{
    private const string ResultExtension = ".result";
    private const int IdBytes = 16;

    private readonly ConcurrentDictionary<string, Job> jobs = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly JobOptions options;
    private readonly TimeProvider clock;
    private readonly string folder;
    private long storedBytes;

    public JobStore(IOptions<JobOptions> options, TimeProvider clock)
    {
        this.options = options.Value;
        this.clock = clock;
        folder = this.options.ResolveFolder();
        Directory.CreateDirectory(folder);
        foreach (var stale in Directory.EnumerateFiles(folder, "*" + ResultExtension))
        {
            File.Delete(stale);
        }
    }

    public IEnumerable<Job> All => jobs.Values;

    /// <summary>A new job for <paramref name="target"/>, or <see cref="JobLimitException"/> when the store is full.</summary>
    public Job Create(RestorationTarget target)
    {
        Sweep();
        lock (gate)
        {
            if (jobs.Count >= options.MaxJobs)
            {
                var soonest = jobs.Values.Min(job => job.Expires) - clock.GetUtcNow();
                throw new JobLimitException(options.MaxJobs, soonest);
            }

            var now = clock.GetUtcNow();
            var job = new Job(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes)), target, now, now + options.TimeToLive, clock);
            jobs[job.Id] = job;
            return job;
        }
    }

    public Job? Find(string id)
    {
        Sweep();
        return jobs.GetValueOrDefault(id);
    }

    /// <summary>Cancels the job if it runs, and deletes it with its result; false when there is no such job.</summary>
    public bool Delete(string id)
    {
        if (!jobs.TryRemove(id, out var job))
        {
            return false;
        }

        job.Cancellation.Cancel();
        lock (gate)
        {
            if (job.Result is { } result)
            {
                File.Delete(result.Path);
                storedBytes -= result.Bytes;
            }
        }

        job.Dispose();
        return true;
    }

    /// <summary>Writes the job's result and marks it succeeded, or fails it when the result would pass the quota.</summary>
    public async Task StoreAsync(Job job, ReadOnlyMemory<byte> result, CancellationToken cancellationToken)
    {
        var quota = options.QuotaMegabytes * 1024L * 1024;
        lock (gate)
        {
            if (storedBytes + result.Length > quota)
            {
                throw new RequestRejectedException(ErrorCodes.Overloaded,
                    $"The job results kept on disk would pass their quota of {options.QuotaMegabytes} MB; collect or delete finished jobs, or retry once older ones expire.");
            }

            storedBytes += result.Length;
        }

        var path = Path.Combine(folder, job.Id + ResultExtension);
        try
        {
            await File.WriteAllBytesAsync(path, result, cancellationToken);
        }
        catch
        {
            Release(result.Length);
            File.Delete(path);
            throw;
        }

        // Deleted while its result was being written: nobody can collect it.
        if (!jobs.ContainsKey(job.Id))
        {
            Release(result.Length);
            File.Delete(path);
            return;
        }

        job.Succeed(path, result.Length);
    }

    public void Dispose()
    {
        foreach (var id in jobs.Keys)
        {
            Delete(id);
        }
    }

    private void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var job in jobs.Values.Where(job => job.Expires <= now))
        {
            Delete(job.Id);
        }
    }

    private void Release(long bytes)
    {
        lock (gate)
        {
            storedBytes -= bytes;
        }
    }
}
