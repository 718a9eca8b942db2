using System.Text;
using CsCheck;
using PumpFirmware.Protocol.Tests.Fakes;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

/// <summary>
/// Arbitrary byte streams never throw, and every non-empty line gets exactly one status line
/// (OK or ERR), in order. Lines are a mix of raw random bytes, shuffled protocol words with
/// random numbers, and valid commands, fed in random chunks.
/// The normal suite runs 100,000 lines; set PF_FUZZ_LINES (e.g. PF_FUZZ_LINES=5000000) for a
/// longer run before a release: `PF_FUZZ_LINES=5000000 dotnet test tests/PumpFirmware.Protocol.Tests
/// --filter StreamPropertyTests`.
/// </summary>
public class StreamPropertyTests
{
    private static readonly string[] Words =
    {
        "*IDN?", "STATUS?", "TIME", "TIME?", "AUTH", "LOGOUT", "PIN", "PROG:NEW", "PROG:LOAD", "PROG:DRUG",
        "PROG:LIMIT", "PROG:STEP", "PROG:CLEARSTEPS", "PROG:PTM", "PROG:RESERVOIR", "PROG:CATHETER",
        "PROG:MINRATE", "PROG:REVIEW", "PROG:COMMIT", "PROG?", "START", "STOP", "BOLUS", "BOLUS:CANCEL",
        "PTM", "PRIME", "REFILL", "CAL", "CAL?", "ALARM?", "ALARM:ACK", "TEL", "LOG?", "CRC", "ON", "OFF",
        "BRIDGE", "STALL", "EMPTY", "0000", "1234", "baclofen", "08:00", "24:00", "12:60", "1.2345", "-1",
        "1e3", "1234567890123456789012345", "0", "1", "2.5", "100000", "SIM:ADVANCE", "*", "*FFFF", "\u0000",
        "\u007F", "\u00FF", "\r", "  ", "\t", "HELP",
    };

    private static readonly string[] Valid =
    {
        "AUTH 0000", "PROG:NEW", "PROG:DRUG baclofen 500", "PROG:LIMIT 200", "PROG:STEP 00:00 100",
        "PROG:STEP 08:00 150", "PROG:PTM 10 5 60 4", "PROG:RESERVOIR 20000 2000", "PROG:CATHETER 150",
        "PROG:MINRATE 0", "PROG:REVIEW", "STATUS?", "START", "PTM", "REFILL 20000", "CAL?", "ALARM?",
        "LOG? 0 5", "TEL 1", "STOP", "PROG?",
    };

    private static readonly Gen<string> RawLine =
        Gen.Byte.Where(b => b != (byte)'\n').Array[0, 260].Select(bytes => Encoding.Latin1.GetString(bytes));

    private static readonly Gen<string> WordSoup =
        Gen.OneOf(Words).Array[0, 7].Select(Gen.Int[0, 3], (w, crcMode) =>
        {
            string line = string.Join(' ', w);
            if (crcMode == 1) line += "*" + PumpFirmware.Units.Crc16.ToHex(PumpFirmware.Units.Crc16.Compute(line));
            if (crcMode == 2) line += "*12AB";
            return line;
        });

    private static readonly Gen<string> Line =
        Gen.Frequency((3, RawLine), (5, WordSoup), (2, Gen.OneOf(Valid)));

    /// <summary>Status lines the framing rules promise for this stream: one per line that is neither empty nor only
    /// spaces and tabs, a line ending at LF, at CR, or at CR LF (the pair ends one line); a line over 200 characters
    /// gets its one "line too long".</summary>
    private static int ExpectedStatusLines(string stream)
    {
        int count = 0;
        int length = 0;
        bool blank = true;
        bool afterCr = false;
        foreach (char c in stream)
        {
            bool pairedLf = c == '\n' && afterCr;
            afterCr = c == '\r';
            if (pairedLf) continue;
            if (c == '\n' || c == '\r')
            {
                if (length > 200 || !blank) count++;
                length = 0;
                blank = true;
                continue;
            }
            length++;
            if (c != ' ' && c != '\t') blank = false;
        }
        return count;
    }

    private long _linesChecked;

    private static int LinesPerRun()
    {
        string? value = Environment.GetEnvironmentVariable("PF_FUZZ_LINES");
        return value != null && int.TryParse(value, out int n) && n > 0 ? n : 100_000;
    }

    [Fact]
    public void Every_nonempty_line_gets_exactly_one_status_line()
    {
        int totalLines = LinesPerRun();
        const int linesPerSession = 200;
        int sessions = Math.Max(1, totalLines / linesPerSession);
        var gen = Gen.Select(Line.Array[linesPerSession], Gen.Int[1, 300].Array[32], Gen.Bool);
        gen.Sample((lines, chunks, running) =>
        {
            // Half the sessions start on a RUNNING pump with a program, a session and a staged edit.
            var device = running ? BadInputTests.RunningDevice() : new TestDevice();
            device.Link.TakeLines();
            string stream = string.Join('\n', lines) + "\n";
            byte[] bytes = Encoding.Latin1.GetBytes(stream);
            int position = 0;
            int c = 0;
            int statusLines = 0;
            while (position < bytes.Length)
            {
                int n = Math.Min(chunks[c++ % chunks.Length], bytes.Length - position);
                device.Link.Receive(bytes[position..(position + n)]);
                position += n;
                while (device.Link.PendingIncoming > 0) device.App.Poll();
                // Time passes between chunks (so therapy runs and !TEL/!ALARM lines interleave).
                var lines2 = device.Link.TakeLines();
                lines2.AddRange(device.Advance(chunks[c % chunks.Length] % 7 == 0 ? 30 : 0.001));
                foreach (string line in lines2)
                {
                    if (line.StartsWith('!')) continue;
                    Assert.True(line.StartsWith("OK") || line.StartsWith("ERR "), line);
                    Assert.False(line.StartsWith("ERR 500"), line); // an internal fault is a firmware bug
                    statusLines++;
                }
            }
            Assert.Equal(ExpectedStatusLines(stream), statusLines);
            Assert.Equal(0, device.App.Processor.Failures);
            Interlocked.Add(ref _linesChecked, lines.Length);
        }, iter: sessions, threads: 1);
        Assert.True(_linesChecked >= totalLines - linesPerSession, $"only {_linesChecked} lines checked");
    }

    /// <summary>Any request answered ERR changes nothing: the therapy image, the PIN state and the
    /// volatile state (staging, CRC mode, telemetry, session) are byte-identical after it, and the
    /// log grew only by the records the contract asks for (a refused PTM, a refused AUTH).</summary>
    [Fact]
    public void A_request_answered_ERR_changes_nothing()
    {
        Gen.Select(Line.Array[50], Gen.Bool).Sample((lines, running) =>
        {
            var device = running ? BadInputTests.RunningDevice() : new TestDevice();
            foreach (string raw in lines)
            {
                string line = raw.Replace("\n", "");
                if (line.Contains('\r') || line.Trim(' ', '\t').Length == 0 || line.Length > 200) continue;
                byte[] before = BadInputTests.StateWithoutLog(device);
                long logBefore = device.App.Log.NextSeq;
                string status = device.Status(line);
                if (!status.StartsWith("ERR ")) continue;
                Assert.True(before.AsSpan().SequenceEqual(BadInputTests.StateWithoutLog(device))
                    || status.StartsWith("ERR 403 wrong pin") || status.StartsWith("ERR 429"), line + " -> " + status);
                for (long seq = logBefore; seq < device.App.Log.NextSeq; seq++)
                {
                    int type = device.App.Log.Type(seq);
                    Assert.True(type == PumpFirmware.Log.EventLogTypes.Ptm || type == PumpFirmware.Log.EventLogTypes.AuthFail,
                        line + " -> " + status + " logged type " + type);
                }
            }
        }, iter: 100, threads: 1);
    }
}
