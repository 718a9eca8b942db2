using System.Reflection;
using System.Text;
using PumpFirmware.Protocol.Tests.Fakes;
using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

/// <summary>
/// Golden transcript: Golden/transcript.script drives the firmware on fake hardware with a
/// deterministic clock; the session (requests, answers, `!` lines) must equal
/// Golden/transcript.txt, which is written to be read as documentation. After an intended change,
/// rewrite it with `PF_UPDATE_GOLDEN=1 dotnet test tests/PumpFirmware.Protocol.Tests` and review the diff.
/// </summary>
public class TranscriptTests
{
    private static string GoldenDirectory()
    {
        string root = typeof(TranscriptTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "RepoRoot").Value!;
        return Path.Combine(root, "tests", "PumpFirmware.Protocol.Tests", "Golden");
    }

    /// <summary>Runs a script and returns the transcript text.</summary>
    public static string Run(IEnumerable<string> script)
    {
        var output = new StringBuilder();
        var device = new TestDevice(boot: false);
        string reviewCrc = "????";
        void Emit(IEnumerable<string> lines)
        {
            foreach (string line in lines)
            {
                output.Append("< ").Append(line).Append('\n');
                // The crc of the last program shown (PROG:REVIEW), for "{reviewcrc}" in the script.
                if (line.StartsWith("OK crc=", StringComparison.Ordinal)) reviewCrc = line.Substring(7, 4);
            }
        }
        foreach (string raw in script)
        {
            if (raw.Length == 0 || raw.StartsWith('#'))
            {
                output.Append(raw).Append('\n');
                continue;
            }
            if (raw.StartsWith("> "))
            {
                string request = raw[2..].Replace("{reviewcrc}", reviewCrc);
                if (request.EndsWith("{crc}"))
                {
                    request = request[..^5];
                    request += "*" + Crc16.ToHex(Crc16.Compute(request));
                }
                output.Append("> ").Append(request).Append('\n');
                var lines = device.Send(request);
                Emit(lines);
                continue;
            }
            if (raw.StartsWith('@'))
            {
                output.Append(raw).Append('\n');
                string[] words = raw[1..].Split(' ');
                switch (words[0])
                {
                    case "poweron":
                        device.App.Boot(PumpFirmware.Hal.ResetCause.Power, 0);
                        Emit(device.Link.TakeLines());
                        break;
                    case "advance": Emit(device.Advance(double.Parse(words[1]))); break;
                    case "occlusion": device.Occlusion.IsAsserted = words[1] == "on"; break;
                    case "battery": device.LowBattery.IsAsserted = words[1] == "on"; break;
                    case "stall": device.Feedback.Stalled = words[1] == "on"; break;
                    case "powercycle":
                        device = device.PowerCycle(long.Parse(words[1]));
                        Emit(device.Link.TakeLines());
                        break;
                    default: throw new InvalidOperationException("unknown directive " + raw);
                }
                continue;
            }
            throw new InvalidOperationException("bad script line: " + raw);
        }
        return output.ToString();
    }

    [Fact]
    public void The_transcript_matches_the_golden_file()
    {
        string dir = GoldenDirectory();
        string[] script = File.ReadAllLines(Path.Combine(dir, "transcript.script"));
        string actual = Run(script);
        string goldenPath = Path.Combine(dir, "transcript.txt");
        if (Environment.GetEnvironmentVariable("PF_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(goldenPath, actual);
        }
        Assert.True(File.Exists(goldenPath), "missing golden file; run with PF_UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(goldenPath), actual);
    }

    [Fact]
    public void The_script_uses_every_command_of_the_protocol()
    {
        string[] commands =
        {
            "*IDN?", "STATUS?", "TIME", "TIME?", "AUTH", "LOGOUT", "PIN", "PROG:NEW", "PROG:LOAD", "PROG:DRUG",
            "PROG:LIMIT", "PROG:STEP", "PROG:CLEARSTEPS", "PROG:PTM", "PROG:RESERVOIR", "PROG:CATHETER",
            "PROG:MINRATE", "PROG:REVIEW", "PROG:COMMIT", "PROG?", "START", "STOP", "BOLUS", "BOLUS:CANCEL", "PTM",
            "PRIME", "REFILL", "CAL", "CAL?", "ALARM?", "ALARM:ACK", "TEL", "LOG?", "CRC", "LIB?", "LIB:SET", "LIB:CLEAR",
        };
        var used = File.ReadAllLines(Path.Combine(GoldenDirectory(), "transcript.script"))
            .Where(l => l.StartsWith("> "))
            .Select(l => l[2..].Split(' ')[0].Replace("{crc}", "").ToUpperInvariant())
            .ToHashSet();
        Assert.Equal(Array.Empty<string>(), commands.Where(c => !used.Contains(c)).ToArray());
    }

    [Fact]
    public void Every_request_in_the_golden_file_got_exactly_one_status_line()
    {
        string[] lines = File.ReadAllLines(Path.Combine(GoldenDirectory(), "transcript.txt"));
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("> ")) continue;
            int status = 0;
            for (int j = i + 1; j < lines.Length && lines[j].StartsWith("< "); j++)
            {
                if (!lines[j].StartsWith("< !")) status++;
            }
            Assert.True(status == 1, $"line {i + 1}: {lines[i]} got {status} status lines");
        }
    }
}

/// <summary>The user guide's examples are real: every answer line it shows (`< ...`) occurs in the
/// golden transcript, so the guide cannot drift from what the firmware says.</summary>
public class GuideExampleTests
{
    [Fact]
    public void Every_answer_shown_in_the_protocol_guide_occurs_in_the_transcript()
    {
        string root = typeof(GuideExampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "RepoRoot").Value!;
        var golden = File.ReadAllLines(Path.Combine(root, "tests", "PumpFirmware.Protocol.Tests", "Golden", "transcript.txt")).ToHashSet();
        // The *IDN? answer is the virtual device's, not this fixture's; PumpCtl's DocCommandTests
        // checks it against the virtual device.
        // A code block right after a line `<!-- virtual device: <test> -->` shows a virtual pump's answers (a
        // battery-powered one, say) that this fixture cannot give; the test named there checks them instead.
        var shown = new List<string>();
        bool skipBlock = false, inBlock = false;
        foreach (string l in File.ReadAllLines(Path.Combine(root, "docs", "PROTOCOL-GUIDE.md")))
        {
            if (l.StartsWith("<!-- virtual device:", StringComparison.Ordinal)) skipBlock = true;
            if (l.StartsWith("```", StringComparison.Ordinal))
            {
                if (inBlock) skipBlock = false;
                inBlock = !inBlock;
                continue;
            }
            if (inBlock && skipBlock) continue;
            if (l.StartsWith("< ") && !l.StartsWith("< OK vendor=")) shown.Add(l);
        }
        Assert.NotEmpty(shown);
        Assert.Equal(Array.Empty<string>(), shown.Where(l => !golden.Contains(l)).ToArray());
    }
}
