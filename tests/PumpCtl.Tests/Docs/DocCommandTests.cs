// The docs are true: every command in a code block of README.md and docs/*.md runs, in the
// order the reader meets it, against a virtual device, and ends with the exit code the doc
// shows (0 unless it prints `echo $?`). What cannot run here is on one short list below, each
// with its reason; a command that is neither runnable nor on the list fails the test, and so
// does a list entry that no longer matches anything. Links must stay inside the repository.
//
// How a command is run: `dotnet run --project tools/PumpCtl -- X` is `pumpctl X`; pumpctl runs
// in-process; `/dev/pts/5` and `/dev/pts/6` are the device's pty and balance pty (the doc's
// `pumpctl sim ... &` starts that device anew with its options); relative paths that are not in
// the repository (outputs such as run.csv, sim-out/...) go to a temporary folder.
using System.Text;
using System.Text.RegularExpressions;
using PumpCtl.Cli;
using PumpCtl.Tests.Cli;
using PumpFirmware.VirtualDevice.Cli;
using Xunit;
using Xunit.Abstractions;

namespace PumpCtl.Tests.Docs;

[Collection("Console")]
public sealed partial class DocCommandTests
{
    private readonly ITestOutputHelper _log;

    public DocCommandTests(ITestOutputHelper log) => _log = log;

    /// <summary>What is not run, and why: (how the command starts, reason).</summary>
    private static readonly (string Start, string Reason)[] Skipped =
    {
        ("dotnet test", "the test command itself"),
        ("PF_UPDATE_GOLDEN=1 dotnet test", "the test command itself, refreshing golden files"),
        ("dotnet run -c Release --project bench/", "benchmarks: minutes of measuring (their figures are in TESTING-EVIDENCE.md)"),
        ("dotnet tool restore", "Stryker: a tool install, then an hour of mutation testing"),
        ("cd tests/PumpFirmware.Core.Tests", "Stryker: part of the mutation run"),
        ("dotnet stryker", "Stryker: the mutation run"),
        ("fuzz/run-afl.sh", "AFL: a 30-minute fuzzing run that needs afl++"),
        ("dotnet run -c Release --project fuzz/", "AFL: replays the findings of an AFL run"),
        ("dotnet pack tools/PumpCtl", "tool install: packing takes minutes (ToolPackageTests checks the project is the pumpctl tool)"),
        ("dotnet tool install", "tool install: changes the machine"),
        ("nanoff", "hardware: nanoFramework's flasher, for an ESP32 on a serial port"),
        ("source <(pumpctl completion", "shell setup (CliUxTests runs the bash completion)"),
        ("pumpctl monitor", "a live view that runs until Ctrl+C"),
        ("pumpctl analyze run.csv --out results --source mass", "analyses the 3 h log of the hardware example above it, which is skipped"),
    };

    private static readonly Regex HardwarePort = new(@"(/dev/tty(USB|ACM)\d|\bCOM\d)");

    public sealed record DocCommand(string File, int Line, string Text, int ExpectedExit);

    private static string[] DocFiles() =>
        new[] { Path.Combine(Repo.Root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(Repo.Root, "docs"), "*.md").Order(StringComparer.Ordinal)).ToArray();

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string f in DocFiles())
        {
            data.Add(Path.GetRelativePath(Repo.Root, f));
        }
        return data;
    }

    /// <summary>The commands in the code blocks of <paramref name="file"/>: lines after a `$ ` prompt,
    /// and in blocks without prompts the lines that start with a program name.</summary>
    public static List<DocCommand> Extract(string file)
    {
        string[] lines = File.ReadAllLines(file);
        var commands = new List<DocCommand>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }
            string language = lines[i].Substring(3).Trim();
            int end = i + 1;
            while (end < lines.Length && !lines[end].StartsWith("```", StringComparison.Ordinal))
            {
                end++;
            }
            if (language.Length == 0 || language is "sh" or "bash" or "console" or "shell")
            {
                var block = lines[(i + 1)..end];
                bool prompts = block.Any(l => l.StartsWith("$ ", StringComparison.Ordinal));
                for (int j = 0; j < block.Length; j++)
                {
                    string text = block[j].Trim();
                    if (prompts ? !block[j].StartsWith("$ ", StringComparison.Ordinal) : !StartsLikeACommand(text))
                    {
                        continue;
                    }
                    text = StripComment(prompts ? text.Substring(2) : text);
                    int expected = 0;
                    if (text.EndsWith("; echo $?", StringComparison.Ordinal))
                    {
                        text = text[..^"; echo $?".Length].Trim();
                        int k = j + 1;
                        while (k < block.Length && !block[k].StartsWith("$ ", StringComparison.Ordinal))
                        {
                            k++;
                        }
                        expected = int.Parse(block[k - 1].Trim());
                    }
                    commands.Add(new DocCommand(Path.GetRelativePath(Repo.Root, file), i + 2 + j, text, expected));
                }
            }
            i = end;
        }
        return commands;
    }

    private static bool StartsLikeACommand(string text)
    {
        // `pumpctl run: file:8: ...` is a message, not a command.
        var m = Regex.Match(text, @"^(pumpctl|dotnet|nanoff|picocom|minicom|screen|fuzz/\S+|cd|source|PF_\w+=\S*)(\s+(\S+))?");
        return m.Success && !m.Groups[3].Value.EndsWith(':');
    }

    private static string StripComment(string text)
    {
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '"' || text[i] == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && text[i] == '#' && i > 0 && char.IsWhiteSpace(text[i - 1]))
            {
                return text[..i].Trim();
            }
        }
        return text.Trim();
    }

    private static string? SkipReason(string text)
    {
        foreach (var (start, reason) in Skipped)
        {
            if (text.StartsWith(start, StringComparison.Ordinal))
            {
                return reason;
            }
        }
        if (HardwarePort.IsMatch(text))
        {
            return "hardware: a real serial port";
        }
        if (Regex.IsMatch(text, @"^(picocom|minicom|screen)\b"))
        {
            return "an interactive terminal program (a person types into it)";
        }
        if (Regex.IsMatch(text, @"\[--|<\w+>"))
        {
            return "a synopsis with placeholders, not a command";
        }
        return null;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_command_in_the_docs_runs_as_shown(string file)
    {
        string dir = Path.Combine(Path.GetTempPath(), "pumpctl-docs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        Device? device = null;
        try
        {
            foreach (DocCommand c in Extract(Path.Combine(Repo.Root, file)))
            {
                string where = $"{c.File}:{c.Line}: {c.Text}";
                if (SkipReason(c.Text) is string reason)
                {
                    _log.WriteLine($"skipped  {where}  ({reason})");
                    continue;
                }
                List<string> words = Split(c.Text);
                bool background = words.Count > 0 && words[^1] == "&";
                if (background)
                {
                    words.RemoveAt(words.Count - 1);
                }
                int dashes = words.IndexOf("--");
                if (words.Count > 3 && words[0] == "dotnet" && words[1] == "run" && words.Contains("tools/PumpCtl") && dashes > 0)
                {
                    words = words.Skip(dashes + 1).Prepend("pumpctl").ToList();
                }
                Assert.True(words.Count > 0 && words[0] == "pumpctl",
                    $"{where}: neither runnable here nor on the skip list; run it or add it to DocCommandTests.Skipped with the reason");
                string[] args = words.Skip(1).ToArray();
                var watch = System.Diagnostics.Stopwatch.StartNew();
                if (args.Length > 0 && args[0] == "sim")
                {
                    string[] simArgs = Paths(args.Skip(1).ToArray(), dir, device);
                    Assert.True(SimOptions.Parse(simArgs, out string? error) != null, $"{where}: {error}");
                    if (simArgs.Contains("--stdio"))
                    {
                        // It serves stdin until its end: a process with an empty stdin ends at once, cleanly.
                        Assert.Equal(0, RunWithEmptyStdin(words.Skip(1).ToArray()));
                        _log.WriteLine($"ran      {where}  (with an empty stdin)");
                        continue;
                    }
                    var started = new Device(simArgs);
                    if (background)
                    {
                        device?.Dispose();
                        device = started;
                    }
                    else
                    {
                        Assert.Equal(0, started.Stop());
                    }
                    _log.WriteLine($"ran      {where}  (started: {string.Join(", ", started.Announced)})");
                    continue;
                }
                if (args.Any(a => a.StartsWith("/dev/pts/", StringComparison.Ordinal)))
                {
                    device ??= new Device(new[] { "--pty", "--clock", "manual", "--balance-pty" });
                }
                args = Paths(args, dir, device);
                if (args.Length > 0 && args[0] == "simulate" && !args.Contains("--out"))
                {
                    args = args.Concat(new[] { "--out", Path.Combine(dir, "sim-out", Path.GetFileNameWithoutExtension(args[1])) }).ToArray();
                }
                // `console` reads what a person types; here, one request.
                ConsoleCommand.TestInput = new StringReader("STATUS?\n");
                var (exit, output, err) = ConsoleCapture.Run(args);
                ConsoleCommand.TestInput = null;
                Assert.True(exit == c.ExpectedExit, $"{where}: exit {exit}, the doc shows {c.ExpectedExit}\n{err}\n{output}");
                Assert.DoesNotContain("Exception", err);
                _log.WriteLine($"ran      {where}  (exit {exit}, {watch.Elapsed.TotalSeconds:0.0} s)");
            }
        }
        finally
        {
            device?.Dispose();
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void The_skip_list_is_short_and_every_entry_is_still_needed()
    {
        var commands = DocFiles().SelectMany(Extract).ToList();
        Assert.True(Skipped.Length <= 20, "the skip list has grown long: make the commands runnable");
        foreach (var (start, reason) in Skipped)
        {
            Assert.True(commands.Any(c => c.Text.StartsWith(start, StringComparison.Ordinal)), $"no doc command starts with '{start}' any more ({reason}): remove it");
        }
        // Most commands run: the list is the exception.
        int run = commands.Count(c => SkipReason(c.Text) == null);
        Assert.True(run >= 20, $"only {run} of {commands.Count} doc commands run");
    }

    [Fact]
    public void The_identity_the_protocol_guide_shows_is_the_virtual_devices()
    {
        string shown = File.ReadAllLines(Path.Combine(Repo.Root, "docs", "PROTOCOL-GUIDE.md")).Single(l => l.StartsWith("< OK vendor=", StringComparison.Ordinal));
        using var device = new Device(new[] { "--pty", "--clock", "manual" });
        var (exit, output, err) = ConsoleCapture.Run(new[] { "send", "*IDN?", "--port", device.Announced["PTY"] });
        Assert.True(exit == 0, err);
        Assert.Equal(shown[2..], output.TrimEnd());
    }

    [Fact]
    public void No_doc_points_outside_the_repository()
    {
        var problems = new List<string>();
        var files = DocFiles().Concat(Directory.GetFiles(Path.Combine(Repo.Root, "hardware"), "*.md"));
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            foreach (Match m in Regex.Matches(text, @"\]\(([^)\s#]+)(#[^)]*)?\)"))
            {
                string target = m.Groups[1].Value;
                if (Regex.IsMatch(target, "^[a-z]+:"))
                {
                    continue; // a web address
                }
                string full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, target));
                if (!full.StartsWith(Repo.Root + "/", StringComparison.Ordinal) || !(File.Exists(full) || Directory.Exists(full)))
                {
                    problems.Add($"{Path.GetRelativePath(Repo.Root, file)}: link to {target}");
                }
            }
            foreach (Match m in Regex.Matches(text, @"\.\./shared|/work/"))
            {
                problems.Add($"{Path.GetRelativePath(Repo.Root, file)}: names {m.Value}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_files_the_docs_name_are_in_the_repository()
    {
        // Every script, scenario and example a doc command names must exist.
        foreach (DocCommand c in DocFiles().SelectMany(Extract).Where(c => SkipReason(c.Text) == null))
        {
            foreach (string word in Split(c.Text).Where(w => Regex.IsMatch(w, @"^(docs|scenarios)/.+\.(txt|scn)$")))
            {
                Assert.True(File.Exists(Path.Combine(Repo.Root, word)), $"{c.File}:{c.Line}: {word} is not in the repository");
            }
        }
    }

    private static int RunWithEmptyStdin(string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(CliApp).Assembly.Location);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Close();
        process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            return -1;
        }
        return process.ExitCode;
    }

    // Words as a POSIX shell splits them (quotes grouped, not kept).
    private static List<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char quote = '\0';
        bool any = false;
        foreach (char ch in text)
        {
            if (quote != '\0')
            {
                if (ch == quote) quote = '\0'; else word.Append(ch);
            }
            else if (ch == '"' || ch == '\'')
            {
                quote = ch;
                any = true;
            }
            else if (char.IsWhiteSpace(ch))
            {
                if (any || word.Length > 0) words.Add(word.ToString());
                word.Clear();
                any = false;
            }
            else
            {
                word.Append(ch);
            }
        }
        if (any || word.Length > 0) words.Add(word.ToString());
        return words;
    }

    // The doc's example ports become the device's; outputs go to the temporary folder; inputs
    // that exist in the repository are read from it.
    private static string[] Paths(string[] args, string dir, Device? device)
    {
        var result = new string[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string previous = i > 0 ? args[i - 1] : "";
            if (a == "/dev/pts/5" && device != null)
            {
                result[i] = device.Announced["PTY"];
            }
            else if (a == "/dev/pts/6" && device != null)
            {
                result[i] = device.Announced["BALANCE"];
            }
            else if (previous == "--link")
            {
                result[i] = Path.Combine(dir, Path.GetFileName(a));
            }
            else if (!a.StartsWith('-') && !Path.IsPathRooted(a)
                && (a.Contains('/') || Regex.IsMatch(a, @"\.(csv|json|png|svg|pdf|txt|scn)$") || previous is "--out" or "-o" or "--state" or "--link"))
            {
                string temp = Path.Combine(dir, a);
                string repo = Path.Combine(Repo.Root, a);
                result[i] = File.Exists(temp) || Directory.Exists(temp) || !(File.Exists(repo) || Directory.Exists(repo)) ? temp : repo;
            }
            else
            {
                result[i] = a;
            }
        }
        return result;
    }

    /// <summary>A virtual device in this process, as `pumpctl sim` runs it.</summary>
    private sealed class Device : IDisposable
    {
        private readonly CancellationTokenSource _cancel = new();
        private readonly Thread _thread;
        private int _exit = -1;

        public Device(string[] args)
        {
            SimOptions options = SimOptions.Parse(args, out string? error) ?? throw new ArgumentException(error);
            var announce = new Announcements(this);
            _thread = new Thread(() => _exit = SimCommand.Run(options, _cancel, announce)) { IsBackground = true, Name = "doc device" };
            _thread.Start();
            int expected = 1 + (options.BalancePty ? 1 : 0) + (options.Link != null ? 1 : 0);
            DateTime giveUp = DateTime.UtcNow.AddSeconds(30);
            while (Announced.Count < expected && _thread.IsAlive && DateTime.UtcNow < giveUp)
            {
                Thread.Sleep(20);
            }
            if (Announced.Count < expected)
            {
                throw new InvalidOperationException($"pumpctl sim {string.Join(' ', args)} did not start (exit {_exit})");
            }
        }

        public Dictionary<string, string> Announced { get; } = new();

        public int Stop()
        {
            _cancel.Cancel();
            _thread.Join(20_000);
            return _exit;
        }

        public void Dispose() => Stop();

        private sealed class Announcements : StringWriter
        {
            private readonly Device _device;

            public Announcements(Device device) => _device = device;

            public override void WriteLine(string? value)
            {
                if (value != null && value.IndexOf(' ') is int space and > 0)
                {
                    lock (_device.Announced)
                    {
                        _device.Announced[value[..space]] = value[(space + 1)..];
                    }
                }
            }
        }
    }
}
