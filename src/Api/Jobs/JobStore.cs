using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LiteRestore.Api.Endpoints;
using LiteRestore.Contracts;
using Microsoft.Extensions.Options;

namespace LiteRestore.Api.Jobs;

/// <summary>
/// The jobs held now and their files on disk (the upload until it is decoded, then the result), bounded in number
/// (<see cref="JobOptions.MaxJobs"/>), in time (<see cref="JobOptions.TimeToLive"/>) and in bytes
/// (<see cref="JobOptions.QuotaMegabytes"/>). Each job's files are a folder named by its id; expired jobs are swept
/// whenever the store is used. State lives in memory: a restart forgets the jobs, and the folders left are deleted.
/// </summary>
internal sealed partial class JobStore : IDisposable
{
    private const string ImageFile = "image";
    private const string MaskFile = "mask";
    private const string ResultFile = "result";
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
        foreach (var stale in Directory.EnumerateDirectories(folder).Where(path => JobId().IsMatch(Path.GetFileName(path))))
        {
            Directory.Delete(stale, recursive: true);
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
            Directory.CreateDirectory(FolderOf(job));
            jobs[job.Id] = job;
            return job;
        }
    }

    public Job? Find(string id)
    {
        Sweep();
        return jobs.GetValueOrDefault(id);
    }

    /// <summary>Cancels the job if it runs, and deletes it with its files; false when there is no such job.</summary>
    public bool Delete(string id)
    {
        if (!jobs.TryRemove(id, out var job))
        {
            return false;
        }

        job.Cancellation.Cancel();
        lock (gate)
        {
            storedBytes -= job.StoredBytes;
        }

        Directory.Delete(FolderOf(job), recursive: true);

        job.Dispose();
        return true;
    }

    /// <summary>Copies the upload into the job's folder, so that it outlives the request; returns where it now is.</summary>
    public async Task<UploadSource> KeepUploadAsync(Job job, UploadSource upload, CancellationToken cancellationToken)
    {
        var image = await WriteAsync(job, ImageFile, upload.OpenImage, cancellationToken);
        var mask = upload.OpenMask is { } openMask ? await WriteAsync(job, MaskFile, openMask, cancellationToken) : null;
        return new UploadSource(() => File.OpenRead(image), mask is null ? null : () => File.OpenRead(mask));
    }

    /// <summary>Deletes the job's upload once it has been decoded: its quota goes to the result.</summary>
    public void DropUpload(Job job)
    {
        foreach (var name in new[] { ImageFile, MaskFile })
        {
            var path = Path.Combine(FolderOf(job), name);
            if (File.Exists(path))
            {
                Release(job, new FileInfo(path).Length);
                File.Delete(path);
            }
        }
    }

    /// <summary>Writes the job's result and marks it succeeded; past the quota, throws a coded <c>overloaded</c>.</summary>
    public async Task StoreResultAsync(Job job, ReadOnlyMemory<byte> result, CancellationToken cancellationToken)
    {
        // the encoder's buffer is read in place, not copied
        var path = await WriteAsync(job, ResultFile, () => MemoryMarshal.TryGetArray(result, out var bytes)
            ? new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false)
            : new MemoryStream(result.ToArray(), writable: false), cancellationToken);
        job.Succeed(path, result.Length);
    }

    public void Dispose()
    {
        foreach (var id in jobs.Keys)
        {
            Delete(id);
        }
    }

    /// <summary>Copies <paramref name="open"/>'s stream into the job's folder, charged to the quota as it grows.</summary>
    private async Task<string> WriteAsync(Job job, string name, Func<Stream> open, CancellationToken cancellationToken)
    {
        var path = Path.Combine(FolderOf(job), name);
        await using var source = open();
        await using var target = File.Create(path);
        var buffer = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            Charge(job, read);
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return path;
    }

    private void Charge(Job job, long bytes)
    {
        lock (gate)
        {
            // Deleted meanwhile: what it writes now is gone with its folder and must not count.
            if (!jobs.ContainsKey(job.Id))
            {
                throw new OperationCanceledException($"Job '{job.Id}' was deleted.");
            }

            if (storedBytes + bytes > options.QuotaMegabytes * 1024L * 1024)
            {
                throw new RequestRejectedException(ErrorCodes.Overloaded,
                    $"The job files kept on disk would pass their quota of {options.QuotaMegabytes} MB; collect or delete finished jobs, or retry once older ones expire.");
            }

            storedBytes += bytes;
            job.StoredBytes += bytes;
        }
    }

    private void Release(Job job, long bytes)
    {
        lock (gate)
        {
            storedBytes -= bytes;
            job.StoredBytes -= bytes;
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

    private string FolderOf(Job job) => Path.Combine(folder, job.Id);

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex JobId();
}
