// The command line of pumpctl as a whole.
//
// Adding a command: write a `XCommand.Create(...)` that returns a System.CommandLine Command
// whose options come from OptionValues / CommonOptions (so a bad value is one parse error
// line, exit 2), and add it to Build below. Nothing else: help, `pumpctl help x`, the
// misspelling suggestion, shell completion and OptionTableTests (which walks this tree and
// checks every option with a bad value) pick it up from the tree.
using System.CommandLine;
using System.CommandLine.Parsing;
using PumpCtl.Serial;

namespace PumpCtl.Cli;

/// <summary>Builds and runs pumpctl's command line.</summary>
public static class CliApp
{
    private const string Unrecognized = "Unrecognized command or argument '";

    /// <summary>Runs pumpctl with <paramref name="args"/>.</summary>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public static int Run(string[] args, ISerialLineOpener? pumpOpener = null, ISerialLineOpener? balanceOpener = null)
    {
        RootCommand root = Build(pumpOpener ?? SerialPortOpener.Pump, balanceOpener ?? new SerialPortOpener(9600, "\r\n"));
        if (args.Length > 1 && args[0] == "help" && !root.Subcommands.Any(c => c.Name == args[1]))
        {
            Console.Error.WriteLine($"pumpctl: {Explain(root, root, args[1])} (see 'pumpctl help')");
            return ExitCodes.Usage;
        }
        args = HelpAsOption(args);
        if (FlagWithValue(root, args) is string flagError)
        {
            Console.Error.WriteLine(flagError);
            return ExitCodes.Usage;
        }
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            if (args.Length == 0)
            {
                Console.Error.WriteLine("pumpctl: which command? One of: " + string.Join(", ", Names(root.Subcommands)) + " (see 'pumpctl help').");
                return ExitCodes.Usage;
            }
            ReportErrors(root, parsed);
            return ExitCodes.Usage;
        }
        try
        {
            return parsed.Invoke();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The last line of defence: a failure nobody foresaw is still one line and an exit
            // code, never a stack trace in a user's terminal or a CI log.
            Console.Error.WriteLine($"pumpctl {parsed.CommandResult.Command.Name}: unexpected failure: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Build(ISerialLineOpener pumpOpener, ISerialLineOpener balanceOpener)
    {
        var root = new RootCommand(
            "pumpctl: the host tool of PumpFirmware. Talk to a pump over serial, program it from scripts, log and analyse its " +
            "flow, or run the virtual device. Exit codes: 0 ok, 1 device ERR or unusable data, 2 usage error, 3 port/communication failure. " +
            "See docs/PUMPCTL.md.");
        root.Add(PortsCommand.Create());
        root.Add(SendCommand.Create(pumpOpener));
        root.Add(RunCommand.Create(pumpOpener));
        root.Add(ConsoleCommand.Create(pumpOpener));
        root.Add(LogCommand.Create(pumpOpener, balanceOpener));
        root.Add(AnalyzeCommand.Create());
        root.Add(CalibrateCommand.Create(pumpOpener, balanceOpener));
        root.Add(MonitorCommand.Create(pumpOpener));
        root.Add(BenchCommand.Create(pumpOpener, balanceOpener));
        root.Add(HistCommand.Create(pumpOpener));
        root.Add(LibCommand.Create(pumpOpener));
        root.Add(VirtualDeviceCommands.CreateSim());
        root.Add(VirtualDeviceCommands.CreateSimulate());
        root.Add(CompletionCommand.Create());
        root.Add(HelpCommand());
        return root;
    }

    // A flag takes no value, but the tokenizer splits `--crc=maybe` into `--crc maybe` and the
    // stray word would then be reported as something else; name the flag instead.
    private static string? FlagWithValue(RootCommand root, string[] args)
    {
        Command? command = args.Length > 0 ? root.Subcommands.FirstOrDefault(c => c.Name == args[0]) : null;
        if (command == null)
        {
            return null;
        }
        // A command with subcommands (`bench occlusion`): the flag belongs to the subcommand.
        int words = 1;
        while (words < args.Length && command.Subcommands.FirstOrDefault(c => c.Name == args[words]) is Command sub)
        {
            command = sub;
            words++;
        }
        string path = string.Join(" ", args.Take(words));
        foreach (string arg in args.Skip(words))
        {
            int eq = arg.IndexOf('=');
            if (!arg.StartsWith('-') || eq < 0)
            {
                continue;
            }
            string name = arg.Substring(0, eq);
            Option? flag = command.Options.FirstOrDefault(o => (o.Name == name || o.Aliases.Contains(name)) && o.Arity.MaximumNumberOfValues == 0);
            if (flag != null)
            {
                return $"pumpctl {path}: {OptionValues.Refused(flag.Name, arg.Substring(eq + 1), $"no value: {flag.Name} alone switches it on")} (see 'pumpctl {path} --help')";
            }
        }
        return null;
    }

    // `pumpctl help` and `pumpctl help log` are `pumpctl --help` and `pumpctl log --help`.
    private static string[] HelpAsOption(string[] args)
    {
        if (args.Length == 0 || args[0] != "help")
        {
            return args;
        }
        return args.Skip(1).Where(a => !a.StartsWith('-')).Append("--help").ToArray();
    }

    // Listed in the help and completed by the shell; Run rewrites it before parsing.
    private static Command HelpCommand()
    {
        var topic = new Argument<string[]>("command") { Description = "The command to explain", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("help", "Show the help of pumpctl or of one command (the same as --help).") { topic };
        command.SetAction(r => Run(HelpAsOption(new[] { "help" }.Concat(r.GetValue(topic) ?? Array.Empty<string>()).ToArray())));
        return command;
    }

    // One line per problem, each naming what is wrong and what to do; the last one points to
    // the command's help. "Required command was not provided" is left out when an unknown word
    // already explains it.
    private static void ReportErrors(RootCommand root, ParseResult parsed)
    {
        Command command = parsed.CommandResult.Command;
        string prefix = command == root ? "pumpctl" : "pumpctl " + CommandPath(parsed.CommandResult);
        var lines = new List<string>();
        bool unknownWord = parsed.Errors.Any(e => e.Message.StartsWith(Unrecognized, StringComparison.Ordinal));
        foreach (ParseError error in parsed.Errors)
        {
            string message = error.Message;
            if (message.StartsWith(Unrecognized, StringComparison.Ordinal))
            {
                string word = message.Substring(Unrecognized.Length).TrimEnd('.').TrimEnd('\'');
                message = Explain(command, root, word);
            }
            else if (unknownWord && command == root)
            {
                continue;
            }
            if (!lines.Contains(message))
            {
                lines.Add(message);
            }
        }
        string help = command == root ? "pumpctl help" : $"{prefix} --help";
        for (int i = 0; i < lines.Count; i++)
        {
            Console.Error.WriteLine($"{prefix}: {lines[i]}" + (i == lines.Count - 1 ? $" (see '{help}')" : ""));
        }
    }

    // "bench occlusion" for a subcommand of a subcommand, "log" for a command.
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c && c.Command is not RootCommand; r = r.Parent)
        {
            names.Insert(0, c.Command.Name);
        }
        return string.Join(" ", names);
    }

    private static string Explain(Command command, RootCommand root, string word)
    {
        if (word.StartsWith('-'))
        {
            var names = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name));
            string? close = Suggest(word, names);
            return $"unknown option '{word}'" + (close != null ? $"; did you mean '{close}'?" : "");
        }
        if (command == root)
        {
            string? close = Suggest(word, Names(root.Subcommands));
            return $"'{word}' is not a pumpctl command" + (close != null ? $"; did you mean '{close}'?" : $"; the commands are {string.Join(", ", Names(root.Subcommands))}");
        }
        return $"unexpected argument '{word}'";
    }

    private static IEnumerable<string> Names(IEnumerable<Command> commands) => commands.Where(c => !c.Hidden).Select(c => c.Name);

    /// <summary>The name closest to <paramref name="word"/> by edit distance, if it is close enough to be a typo.</summary>
    public static string? Suggest(string word, IEnumerable<string> names)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string name in names)
        {
            int d = EditDistance(word.ToLowerInvariant(), name.ToLowerInvariant());
            if (d < bestDistance || (d == bestDistance && name.StartsWith(word, StringComparison.OrdinalIgnoreCase)))
            {
                best = name;
                bestDistance = d;
            }
        }
        // A typo changes a few letters; a short unrelated word is not a misspelling.
        int allowed = Math.Max(1, Math.Min(3, word.Length / 3));
        bool prefix = best != null && word.Length >= 3 && best.StartsWith(word, StringComparison.OrdinalIgnoreCase);
        return best != null && (bestDistance <= allowed || prefix) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        // Optimal string alignment: insertions, deletions, substitutions and swaps of neighbours.
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
