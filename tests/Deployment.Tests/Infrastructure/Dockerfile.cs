using System.Text.RegularExpressions;

namespace LiteRestore.Deployment.Tests.Infrastructure;

/// <summary>What the repository's Dockerfile says about the image: stages, environment, ports, health check.</summary>
internal sealed partial class Dockerfile
{
    private readonly List<(string Instruction, string Arguments, string Stage)> instructions = [];

    private Dockerfile(string text)
    {
        var stage = "";
        // Continuation lines join into one instruction; comments and blank lines carry nothing.
        foreach (var line in Continuation().Replace(text, " ").Split('\n').Select(line => line.Trim()))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            var instruction = parts[0].ToUpperInvariant();
            var arguments = parts.Length > 1 ? parts[1] : "";
            if (instruction == "FROM")
            {
                var from = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                stage = from.Length == 3 && from[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? from[2] : "";
            }

            instructions.Add((instruction, arguments, stage));
        }
    }

    public static Dockerfile Repository { get; } = new(Infrastructure.Repository.Read("Dockerfile"));

    /// <summary>The last stage: the image that is built.</summary>
    public string FinalStage => instructions.Last(i => i.Instruction == "FROM").Stage;

    /// <summary>Default of a build argument declared before the first stage.</summary>
    public string GlobalArgument(string name) =>
        instructions.TakeWhile(i => i.Instruction != "FROM").Where(i => i.Instruction == "ARG")
            .Select(i => i.Arguments.Split('=', 2)).Single(a => a[0] == name)[1];

    /// <summary>
    /// The environment the image of one flavour starts with: the ENV of its base stage (<c>&lt;flavour&gt;-base</c>) and
    /// of the final stage, which is built <c>FROM ${FLAVOR}-base</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> EnvironmentOf(string flavour)
    {
        var baseStage = $"{flavour}-base";
        Assert.Contains(instructions, i => i.Instruction == "FROM" && i.Stage == baseStage);
        return instructions.Where(i => i.Instruction == "ENV" && (i.Stage == baseStage || i.Stage == FinalStage))
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
    }

    /// <summary>Every variable any stage sets, with its stage.</summary>
    public IEnumerable<(string Stage, string Name)> AllEnvironmentNames() =>
        instructions.Where(i => i.Instruction == "ENV")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(pair => (i.Stage, pair.Split('=', 2)[0])));

    public IEnumerable<int> ExposedPorts() =>
        Arguments("EXPOSE").SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(port => int.Parse(port.Split('/')[0]));

    /// <summary>The instructions of one stage, in order.</summary>
    public IEnumerable<(string Instruction, string Arguments)> StageInstructions(string stage) =>
        instructions.Where(i => i.Stage == stage && i.Instruction != "FROM").Select(i => (i.Instruction, i.Arguments));

    public IEnumerable<string> Arguments(string instruction) =>
        instructions.Where(i => i.Instruction == instruction).Select(i => i.Arguments);

    [GeneratedRegex(@"\\\r?\n(\s*#[^\n]*\n)*")]
    private static partial Regex Continuation();
}
