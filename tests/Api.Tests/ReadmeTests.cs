using LiteRestore.Api.Tests.Infrastructure;

namespace LiteRestore.Api.Tests;

/// <summary>README's commands, sent exactly as curl sends them, to the service on its bundled models.</summary>
public sealed class ReadmeTests(TrainedModelsFactory factory) : IClassFixture<TrainedModelsFactory>
{
    [Fact]
    public void EveryCommandUploadsFilesThatExistAndEverySavedImageIsGuardedByFail()
    {
        var commands = ReadmeCommands.All();

        Assert.True(commands.Count >= 10, $"{commands.Count} commands found");
        foreach (var command in commands)
        {
            Assert.All(command.Files, file => Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, file)), $"{file} is missing: {command.Text}"));
            if (command.Output is { } output && output != "/dev/null")
            {
                Assert.True(command.Fail, $"an error would be saved as {output}: {command.Text}");
            }
        }
    }

    [ModelFact("denoise-lightweight", "denoise-baseline", "sr4-lightweight", "inpaint-lightweight")]
    public async Task EveryCommandSucceedsAndSavedResultsAreImages()
    {
        var client = factory.CreateClient();
        foreach (var command in ReadmeCommands.All())
        {
            using var request = command.ToRequest(RepositoryPaths.Root);

            using var response = await client.SendAsync(request);

            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}: {command.Text}");
            if (command.Output is { } output && output != "/dev/null")
            {
                Assert.StartsWith("image/", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }
}
