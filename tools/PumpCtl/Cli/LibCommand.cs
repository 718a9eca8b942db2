// `pumpctl lib list|set|clear`: the drug library (docs/DRUG-LIBRARY.md) without raw protocol
// lines. `list` sends LIB? (no PIN); `set` and `clear` send AUTH with --pin, LIB:SET or
// LIB:CLEAR, LIB? <drug> to show what is now in force, and LOGOUT, so no session is left open
// on the bench. Every value is checked here first (the pump's own ranges), so a typo costs no
// request and no PIN attempt; an ERR is explained in one line with the pump's answer quoted.
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using PumpCtl.Library;
using PumpCtl.Serial;
using PumpFirmware.VirtualDevice.Files;

namespace PumpCtl.Cli;

/// <summary>Builds <c>pumpctl lib</c>.</summary>
public static partial class LibCommand
{
    /// <summary>A limit option: the LIB:SET key, the option's name, the range the pump accepts (PROTOCOL.md), and whether it is a count.</summary>
    private sealed record Limit(string Key, string Name, string Description, decimal Min, decimal Max, bool Count)
    {
        public string Accepted => Count
            ? $"a whole number from {Min} to {Max}, or NONE"
            : $"a number from {Min.ToString(CultureInfo.InvariantCulture)} to {Max.ToString(CultureInfo.InvariantCulture)} with at most 3 decimals, or NONE";
    }

    private static readonly Limit[] Limits =
    {
        new("max_conc_ug_ml", "--max-conc-ug-ml", "Largest concentration a program of the drug may have, µg/mL (hard limit)", 0.001m, 100000m, false),
        new("max_ug_day", "--max-ug-day", "Largest worst day (basal plus every allowed bolus), µg over 24 h (hard limit)", 0.001m, 100000000m, false),
        new("max_step_ug_day", "--max-step-ug-day", "Largest rise of daily_ug over the previous dose, µg/day (titration)", 0m, 100000000m, false),
        new("max_increases_7d", "--max-increases-7d", "Most rises of daily_ug in any 7 days (titration)", 0m, 100m, true),
        new("max_increase_7d_ug_day", "--max-increase-7d-ug-day", "Largest sum of the rises in any 7 days, µg/day (titration)", 0m, 100000000m, false),
    };

    /// <summary>The command with its three subcommands.</summary>
    public static Command Create(ISerialLineOpener opener)
    {
        return new Command("lib", "The drug library (docs/DRUG-LIBRARY.md): 'lib list' shows the entries in force (LIB?), 'lib set' stores a " +
            "per-pump entry (LIB:SET, with the PIN), 'lib clear' removes one (LIB:CLEAR, with the PIN). Exit 0 on OK, 1 on ERR.")
        {
            List(opener),
            Set(opener),
            Clear(opener),
        };
    }

    private static Argument<string> DrugArgument(string description, bool optional)
    {
        var drug = new Argument<string>("drug") { Description = description, Arity = optional ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne };
        drug.CustomParser = r =>
        {
            string text = r.Tokens.Count == 0 ? "" : r.Tokens[^1].Value;
            if (r.Tokens.Count > 0 && !DrugName().IsMatch(text))
            {
                r.AddError(OptionValues.Refused("drug", text, "a drug name of 1 to 16 letters, digits, '_' or '-', as in the program (names are case-sensitive)"));
            }
            return text;
        };
        return drug;
    }

    private static Option<string> Pin() => OptionValues.Checked("--pin", "The PIN for AUTH", "digits", "0000",
        v => v.Length >= 4 && v.Length <= 8 && v.All(char.IsAsciiDigit), "4 to 8 digits");

    private static Command List(ISerialLineOpener opener)
    {
        var port = CommonOptions.Port();
        var crc = CommonOptions.Crc();
        var timeout = CommonOptions.Timeout();
        var drug = DrugArgument("Show only this drug's entry, with its rises in the last 7 days (LIB? <drug>)", optional: true);
        var csv = Export("--csv", "Write the entries as CSV to this file ('-': standard output) instead of the table");
        var json = Export("--json", "Write the entries as JSON to this file ('-': standard output) instead of the table");
        var overwrite = OptionValues.Flag("--overwrite", "Replace the --csv/--json file if it exists");
        var command = new Command("list", "Show the drug library entries in force (LIB?; no PIN): per drug its hard limits (concentration, daily " +
            "dose) and titration limits, where each comes from (DEFAULT compiled in, PUMP set on this pump), and with a drug its rises in the last 7 days.")
        {
            drug, port, csv, json, overwrite, crc, timeout,
        };
        command.SetAction(r =>
        {
            string name = r.GetValue(drug) ?? "";
            FileInfo? csvFile = r.GetValue(csv), jsonFile = r.GetValue(json);
            bool replace = r.GetValue(overwrite);
            foreach (FileInfo? f in new[] { csvFile, jsonFile })
            {
                if (f != null && f.Name != "-" && f.Exists && !replace)
                {
                    Console.Error.WriteLine($"pumpctl lib list: {f.FullName} exists; choose another file or add --overwrite");
                    return ExitCodes.Usage;
                }
            }
            return Talk("list", opener, r.GetValue(port)!, r.GetValue(crc), r.GetValue(timeout), client =>
            {
                DeviceReply reply = client.Request(name.Length == 0 ? "LIB?" : "LIB? " + name);
                if (!reply.IsOk)
                {
                    return Refused("list", reply);
                }
                List<LibraryEntry> entries = name.Length == 0 ? LibraryEntry.FromList(reply) : new List<LibraryEntry> { LibraryEntry.Parse(reply.Status)! };
                if (csvFile == null && jsonFile == null)
                {
                    string title = name.Length == 0 ? $"drug library on {client.PortName}" : $"{name} on {client.PortName}";
                    LibraryOutput.Write(Console.Out, LibraryOutput.Table(entries, title));
                    return ExitCodes.Ok;
                }
                if (csvFile != null)
                {
                    Emit(csvFile, LibraryOutput.Csv(entries), entries.Count);
                }
                if (jsonFile != null)
                {
                    Emit(jsonFile, LibraryOutput.Json(entries), entries.Count);
                }
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Option<FileInfo?> Export(string name, string description)
    {
        var option = OptionValues.OutputFile(name, description, "file");
        option.Required = false;
        return option!;
    }

    private static void Emit(FileInfo file, string text, int entries)
    {
        if (file.Name == "-" && file.DirectoryName == Environment.CurrentDirectory)
        {
            Console.Out.Write(text);
            return;
        }
        AtomicFile.WriteAllText(file.FullName, text);
        Console.Error.WriteLine($"pumpctl lib list: {entries} entr{(entries == 1 ? "y" : "ies")} written to {file.FullName}");
    }

    private static Command Set(ISerialLineOpener opener)
    {
        var port = CommonOptions.Port();
        var crc = CommonOptions.Crc();
        var timeout = CommonOptions.Timeout();
        var pin = Pin();
        var drug = DrugArgument("The drug, as programs name it (case-sensitive)", optional: false);
        var keep = OptionValues.Flag("--keep", "Keep the limits of the entry in force for the limits not given (without it, as LIB:SET: a limit not given does not limit)");
        var limits = Limits.Select(LimitOption).ToArray();
        var command = new Command("set", "Store the per-pump entry of a drug (AUTH, LIB:SET, LIB? <drug>, LOGOUT). It replaces a compiled-in entry of " +
            "the same name whole: a limit not given, or given as NONE, does not limit (--keep keeps the ones in force instead). Shows the entry now in force " +
            "and warns about every limit that was in force and no longer is.")
        {
            drug,
        };
        foreach (Option o in limits) command.Add(o);
        foreach (Option o in new Option[] { keep, port, pin, crc, timeout }) command.Add(o);
        command.SetAction(r =>
        {
            string name = r.GetValue(drug)!;
            var given = new Dictionary<string, string>();
            for (int i = 0; i < Limits.Length; i++)
            {
                if (r.GetValue(limits[i]) is string value)
                {
                    given[Limits[i].Key] = value;
                }
            }
            if (given.Count == 0)
            {
                Console.Error.WriteLine("pumpctl lib set: give at least one limit (" + string.Join(", ", Limits.Select(l => l.Name)) +
                    "); one given as NONE does not limit. To remove a per-pump entry: 'pumpctl lib clear' (see 'pumpctl lib set --help')");
                return ExitCodes.Usage;
            }
            return Talk("set", opener, r.GetValue(port)!, r.GetValue(crc), r.GetValue(timeout), client =>
            {
                DeviceReply before = client.Request("LIB? " + name);
                if (!before.IsOk)
                {
                    return Refused("set", before);
                }
                LibraryEntry old = LibraryEntry.Parse(before.Status)!;
                var values = new Dictionary<string, string>();
                foreach (Limit l in Limits)
                {
                    string inForce = old.Get(l.Key);
                    values[l.Key] = given.TryGetValue(l.Key, out string? v) ? v : (r.GetValue(keep) && inForce.Length > 0 ? inForce : "NONE");
                }
                string request = $"LIB:SET drug={name} " + string.Join(" ", Limits.Select(l => $"{l.Key}={values[l.Key]}"));
                return Changed("set", client, r.GetValue(pin)!, request, name, old);
            });
        });
        return command;
    }

    private static Command Clear(ISerialLineOpener opener)
    {
        var port = CommonOptions.Port();
        var crc = CommonOptions.Crc();
        var timeout = CommonOptions.Timeout();
        var pin = Pin();
        var drug = DrugArgument("The drug whose per-pump entry is removed", optional: false);
        var command = new Command("clear", "Remove the per-pump entry of a drug (AUTH, LIB:CLEAR, LIB? <drug>, LOGOUT): its compiled-in entry, if it " +
            "has one, is in force again; else the drug is not checked. Shows the entry now in force.")
        {
            drug, port, pin, crc, timeout,
        };
        command.SetAction(r =>
        {
            string name = r.GetValue(drug)!;
            return Talk("clear", opener, r.GetValue(port)!, r.GetValue(crc), r.GetValue(timeout), client =>
            {
                DeviceReply before = client.Request("LIB? " + name);
                if (!before.IsOk)
                {
                    return Refused("clear", before);
                }
                LibraryEntry old = LibraryEntry.Parse(before.Status)!;
                if (old.Source != "PUMP")
                {
                    // No PIN attempt is spent on a request the pump would refuse (ERR 409; LibraryErrors explains it too).
                    Console.Error.WriteLine($"pumpctl lib clear: {name} has no per-pump entry to remove (in force: {Describe(old)}); nothing changed");
                    return ExitCodes.Failed;
                }
                return Changed("clear", client, r.GetValue(pin)!, "LIB:CLEAR " + name, name, old);
            });
        });
        return command;
    }

    // AUTH, the change, what is now in force, LOGOUT (also after a refusal).
    private static int Changed(string sub, PumpClient client, string pin, string request, string name, LibraryEntry old)
    {
        DeviceReply auth = client.Request("AUTH " + pin);
        if (!auth.IsOk)
        {
            return Refused(sub, auth);
        }
        try
        {
            DeviceReply reply = client.Request(request);
            if (!reply.IsOk)
            {
                return Refused(sub, reply);
            }
            DeviceReply after = client.Request("LIB? " + name);
            if (!after.IsOk)
            {
                return Refused(sub, after);
            }
            LibraryEntry now = LibraryEntry.Parse(after.Status)!;
            Console.Out.WriteLine(sub == "set"
                ? $"{name}: per-pump entry stored{(old.Source == "DEFAULT" ? " (it replaces the compiled-in entry)" : "")}"
                : $"{name}: per-pump entry removed; in force now: {Describe(now)}");
            foreach (string key in LibraryEntry.LimitKeys)
            {
                string was = old.Get(key), @is = now.Get(key);
                if (was.Length > 0 && was != "NONE" && (@is.Length == 0 || @is == "NONE"))
                {
                    Console.Error.WriteLine($"pumpctl lib {sub}: warning: {name}'s {key} was {was} ({old.Source}) and no longer limits");
                }
            }
            LibraryOutput.Write(Console.Out, LibraryOutput.Table(new[] { now }, $"{name} on {client.PortName}"));
            return ExitCodes.Ok;
        }
        finally
        {
            client.Request("LOGOUT");
        }
    }

    private static string Describe(LibraryEntry e) => e.Source switch
    {
        "DEFAULT" => "the compiled-in entry",
        "PUMP" => "a per-pump entry",
        _ => "no entry, so the drug is not checked",
    };

    private static int Refused(string sub, DeviceReply reply)
    {
        Console.Error.WriteLine($"pumpctl lib {sub}: {LibraryErrors.Explain(reply)}");
        return ExitCodes.Failed;
    }

    private static int Talk(string sub, ISerialLineOpener opener, string portName, bool crc, double timeoutS, Func<PumpClient, int> run)
    {
        try
        {
            using ISerialLine port = opener.Open(portName);
            var client = new PumpClient(port, crc) { Timeout = TimeSpan.FromSeconds(timeoutS) };
            client.DiscardStale(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(timeoutS));
            return run(client);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"pumpctl lib {sub}: {e.Message}");
            return ExitCodes.Communication;
        }
    }

    private static Option<string?> LimitOption(Limit limit)
    {
        var option = new Option<string?>(limit.Name) { Description = $"{limit.Description}; NONE: does not limit", HelpName = limit.Count ? "n|NONE" : "x|NONE" };
        option.CustomParser = r =>
        {
            string text = r.Tokens.Count == 0 ? "" : r.Tokens[^1].Value;
            if (Normalize(limit, text) is string value)
            {
                return value;
            }
            r.AddError(OptionValues.Refused(limit.Name, text, limit.Accepted));
            return null;
        };
        return option;
    }

    /// <summary>The value as LIB:SET takes it (digits with at most 3 decimals, or NONE), or null when the pump would refuse it.</summary>
    private static string? Normalize(Limit limit, string text)
    {
        if (text.Equals("NONE", StringComparison.OrdinalIgnoreCase))
        {
            return "NONE";
        }
        if (!(limit.Count ? WholeNumber() : Decimal3()).IsMatch(text)
            || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal v)
            || v < limit.Min || v > limit.Max)
        {
            return null;
        }
        return text;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,16}$")]
    private static partial Regex DrugName();

    [GeneratedRegex("^[0-9]{1,9}$")]
    private static partial Regex WholeNumber();

    [GeneratedRegex(@"^[0-9]{1,9}(\.[0-9]{1,3})?$")]
    private static partial Regex Decimal3();
}
