using System.Net.Http.Headers;
using System.Text;

namespace LiteRestore.Api.Tests.Infrastructure;

/// <summary>
/// One curl command of README, parsed into the HTTP request it sends: the options README uses (<c>-F</c>,
/// <c>--data-binary</c>, <c>-H</c>, <c>-o</c>, <c>-s</c>, <c>-D</c>, <c>--fail</c>) and the URL. Files are read relative to
/// the repository root, where README's commands run.
/// </summary>
internal sealed record CurlCommand(string Text, string Url, IReadOnlyList<(string Name, string Value)> Form, string? Body,
    IReadOnlyList<(string Name, string Value)> Headers, string? Output, bool Fail)
{
    private const string Host = "http://localhost:5000";

    /// <summary>The files the command uploads.</summary>
    public IEnumerable<string> Files => Form.Select(f => f.Value).Append(Body ?? string.Empty).Where(v => v.StartsWith('@')).Select(v => v[1..]);

    public string PathAndQuery => Url.StartsWith(Host, StringComparison.Ordinal) ? Url[Host.Length..] : throw new FormatException($"not a local URL: {Url}");

    public static CurlCommand Parse(string command)
    {
        var words = Words(command);
        if (words.Count == 0 || words[0] != "curl")
        {
            throw new FormatException($"not a curl command: {command}");
        }

        var (form, headers) = (new List<(string, string)>(), new List<(string, string)>());
        string? url = null, body = null, output = null;
        var fail = false;
        for (var i = 1; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "-F":
                    var field = words[++i].Split('=', 2);
                    form.Add((field[0], field[1]));
                    break;
                case "--data-binary":
                    body = words[++i];
                    break;
                case "-H":
                    var header = words[++i].Split(':', 2);
                    headers.Add((header[0].Trim(), header[1].Trim()));
                    break;
                case "-o":
                    output = words[++i];
                    break;
                case "-D":
                    i++;
                    break;
                case "-s":
                    break;
                case "--fail":
                    fail = true;
                    break;
                default:
                    url = words[i].StartsWith('-') ? throw new FormatException($"option {words[i]} is not understood: {command}") : words[i];
                    break;
            }
        }

        return new CurlCommand(command, url ?? throw new FormatException($"no URL: {command}"), form, body, headers, output, fail);
    }

    public HttpRequestMessage ToRequest(string root)
    {
        var request = new HttpRequestMessage(Form.Count > 0 || Body is not null ? HttpMethod.Post : HttpMethod.Get, PathAndQuery);
        if (Form.Count > 0)
        {
            var content = new MultipartFormDataContent();
            foreach (var (name, value) in Form)
            {
                content.Add(value.StartsWith('@') ? new ByteArrayContent(File.ReadAllBytes(Path.Combine(root, value[1..]))) : new StringContent(value),
                    name, value.StartsWith('@') ? Path.GetFileName(value[1..]) : name);
            }

            request.Content = content;
        }
        else if (Body is not null)
        {
            // curl sends a file body as application/x-www-form-urlencoded unless -H names the type
            request.Content = new ByteArrayContent(File.ReadAllBytes(Path.Combine(root, Body.TrimStart('@'))));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        foreach (var (name, value) in Headers)
        {
            if (request.Content is not null && name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else
            {
                request.Headers.Add(name, value);
            }
        }

        return request;
    }

    /// <summary>Splits a command line into words as a POSIX shell does for quotes (no expansions).</summary>
    private static List<string> Words(string command)
    {
        var (words, word, quote, inWord) = (new List<string>(), new StringBuilder(), '\0', false);
        foreach (var c in command)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                (quote, inWord) = (c, true);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    (word, inWord) = (new StringBuilder(), false);
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
