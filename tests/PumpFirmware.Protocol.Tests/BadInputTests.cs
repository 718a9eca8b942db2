using PumpFirmware.Log;
using PumpFirmware.Protocol.Tests.Fakes;
using PumpFirmware.Storage;
using Xunit;

namespace PumpFirmware.Protocol.Tests;

/// <summary>
/// Every malformed or out-of-range request gets its specified ERR and changes nothing: not the
/// therapy (controller image), the PIN and its lock, the staged program, the CRC mode, the
/// telemetry or the session; the log gains nothing but the refusal records the contract asks
/// for (PTM refusals). Each row runs on a pump that is RUNNING a committed program, with a
/// session open and a half-edited staging area.
/// </summary>
public class BadInputTests
{
    private const string Long25 = "1234567890123456789012345";
    private const string Nul = "\u0000";
    private const string Del = "\u007F";
    private const string NonAscii = "\u00E9";

    /// <summary>A RUNNING pump with a committed program, a session, and a staging area holding an edit.</summary>
    public static TestDevice RunningDevice()
    {
        var device = new TestDevice();
        string[] setup =
        {
            "AUTH 0000", "TIME 1700000000", "PROG:NEW", "PROG:DRUG baclofen 500", "PROG:LIMIT 200",
            "PROG:STEP 00:00 100", "PROG:STEP 08:00 150", "PROG:PTM 10 5 60 4", "PROG:CATHETER 150",
        };
        foreach (string line in setup) Assert.StartsWith("OK", device.Status(line));
        string review = device.Status("PROG:REVIEW");
        string crc = review.Substring("OK crc=".Length, 4);
        Assert.StartsWith("OK", device.Status("PROG:COMMIT " + crc));
        Assert.StartsWith("OK", device.Status("REFILL 20000"));
        Assert.StartsWith("OK", device.Status("START"));
        device.Advance(3600);
        Assert.StartsWith("OK", device.Status("AUTH 0000")); // the session timed out while time ran
        Assert.StartsWith("OK", device.Status("PROG:DRUG morphine 1000")); // a staged edit
        device.Link.TakeLines();
        return device;
    }

    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        void Add(string request, string expected) => rows.Add(request, expected);

        // Unknown commands and bytes that are not ASCII words.
        foreach (string bad in new[] { "FOO", "STATUS", "STATUS??", "PROG:", "PROG:FOO", Nul, Del, NonAscii, "STATUS?" + Nul, "START" + Del })
            Add(bad, "ERR 400 unknown command");

        // Commands without arguments get 400 for any argument.
        foreach (string cmd in new[] { "*IDN?", "STATUS?", "TIME?", "LOGOUT", "PROG:NEW", "PROG:LOAD", "PROG:CLEARSTEPS",
                     "PROG:REVIEW", "PROG?", "START", "STOP", "BOLUS:CANCEL", "PTM", "CAL?", "ALARM?" })
        {
            Add(cmd + " 1", "ERR 400");
            Add(cmd + " " + Nul, "ERR 400");
        }

        // Numbers: the same table for every numeric argument slot.
        string[] malformedNumbers = { "1.2345", "-1", "+1", "1e3", ".5", "5.", "1,5", Nul, Del, NonAscii, "0x10", "1" + Nul };
        var numericSlots = new (string prefix, string suffix)[]
        {
            ("PROG:DRUG baclofen ", ""), ("PROG:LIMIT ", ""), ("PROG:STEP 08:00 ", ""), ("PROG:PTM ", " 5 60 4"),
            ("PROG:PTM 10 ", " 60 4"), ("PROG:PTM 10 5 ", " 4"), ("PROG:RESERVOIR ", " 2000"), ("PROG:RESERVOIR 20000 ", ""),
            ("PROG:CATHETER ", ""), ("PROG:MINRATE ", ""), ("BOLUS ", " 5"), ("BOLUS 1 ", ""), ("PRIME ", ""),
            ("REFILL ", ""), ("TIME ", ""), ("CAL ", ""), ("TEL ", ""), ("LOG? ", " 5"), ("LOG? 1 ", ""), ("PROG:PTM 10 5 60 ", ""),
        };
        foreach (var (prefix, suffix) in numericSlots)
            foreach (string bad in malformedNumbers)
                Add(prefix + bad + suffix, "ERR 400");

        // Counts take no decimals at all.
        foreach (string cmd in new[] { "CAL 1000.5", "CAL 1000.0", "TEL 1.0", "LOG? 1.0 5", "LOG? 1 5.0", "PROG:PTM 10 5 60 4.0" })
            Add(cmd, "ERR 400");
        // Whole minutes and seconds.
        foreach (string cmd in new[] { "BOLUS 1 2.5", "PROG:PTM 10 2.5 60 4", "PROG:PTM 10 5 0.5 4", "TIME 1700000000.5" })
            Add(cmd, "ERR 400");

        // Well-formed but out of range, however large: 422 (where the state allows the command).
        foreach (string cmd in new[] {
                     "PROG:DRUG baclofen " + Long25, "PROG:DRUG baclofen 0", "PROG:DRUG baclofen 100000.001",
                     "PROG:LIMIT " + Long25, "PROG:LIMIT 0", "PROG:STEP 08:00 " + Long25, "PROG:PTM " + Long25 + " 5 60 4",
                     "PROG:PTM 10 0 60 4", "PROG:PTM 10 1441 60 4", "PROG:PTM 10 5 1441 4", "PROG:PTM 10 5 60 0",
                     "PROG:PTM 10 5 60 101", "PROG:PTM 10 5 60 " + Long25, "PROG:RESERVOIR " + Long25 + " 2000",
                     "PROG:RESERVOIR 0 0", "PROG:RESERVOIR 1000 2000", "PROG:CATHETER " + Long25, "PROG:MINRATE " + Long25,
                     "REFILL " + Long25, "REFILL 20000.001", "TIME " + Long25, "CAL 0", "CAL 10000001", "CAL " + Long25,
                     "TEL 3601", "TEL " + Long25, "LOG? 1 101", "LOG? 1 " + Long25, "BOLUS " + Long25 + " 5",
                     "BOLUS 1 " + Long25, "REFILL 20000 20000.001", "REFILL 1 " + Long25, "REFILL:GAP 1000000.001",
                     "REFILL:GAP " + Long25, "HIST? 32", "HIST? " + Long25 })
            Add(cmd, "ERR 422");

        // Missing and extra arguments.
        foreach (string cmd in new[] { "TIME", "TIME 1 2", "AUTH", "AUTH 0000 0000", "PIN", "PIN 1234 5678",
                     "PROG:DRUG", "PROG:DRUG baclofen", "PROG:DRUG baclofen 1 2", "PROG:LIMIT", "PROG:LIMIT 1 2",
                     "PROG:STEP", "PROG:STEP 08:00", "PROG:STEP 08:00 1 2", "PROG:PTM", "PROG:PTM 1 2 3", "PROG:PTM 1 2 3 4 5",
                     "PROG:PTM ON", "PROG:RESERVOIR", "PROG:RESERVOIR 1", "PROG:RESERVOIR 1 2 3", "PROG:CATHETER",
                     "PROG:CATHETER 1 2", "PROG:MINRATE", "PROG:MINRATE 1 2", "PROG:COMMIT", "PROG:COMMIT ABCD BRIDGE X",
                     "BOLUS", "BOLUS 1", "BOLUS 1 2 3", "PRIME", "PRIME 1 2", "REFILL", "REFILL 1 2 3", "CAL", "CAL 1 2",
                     "REFILL? 1", "REFILL:GAP", "REFILL:GAP 1 2", "HIST?", "HIST? 1 2", "HIST? 1.5", "REFILL 1 2.0001", "REFILL 1 -2",
                     "ALARM:ACK", "ALARM:ACK STALL STALL", "TEL", "TEL 1 2", "LOG?", "LOG? 1", "LOG? 1 2 3", "CRC", "CRC ON OFF",
                     "PROG:STEP 08:00 1 2 3 4 5 6 7 8 9 10 11 12 13 14" })
            Add(cmd, "ERR 400");

        // Names, times of day, PINs, CRCs and words.
        foreach (string cmd in new[] {
                     "PROG:DRUG ABCDEFGHIJKLMNOPQ 1", "PROG:DRUG mor.phine 1", "PROG:DRUG caf" + NonAscii + " 1",
                     "PROG:DRUG x" + Nul + " 1", "PROG:STEP 24:00 1", "PROG:STEP 12:60 1", "PROG:STEP 8:00 1",
                     "PROG:STEP 08-00 1", "PROG:STEP 0800 1", "PROG:STEP 08:00:00 1", "AUTH 123", "AUTH 123456789",
                     "AUTH 12a4", "AUTH " + NonAscii + NonAscii + NonAscii + NonAscii, "PIN 123", "PIN 123456789", "PIN abcd",
                     "PROG:COMMIT 12345", "PROG:COMMIT XYZW", "PROG:COMMIT ABC", "PROG:COMMIT ABCD FOO",
                     "ALARM:ACK FOO", "ALARM:ACK " + Nul, "CRC MAYBE" })
            Add(cmd, "ERR 400");

        // Refused by the state (409) and by the lockout (423).
        Add("PROG:COMMIT 0000", "ERR 409");  // not the staged program's crc (the odds it is: 1 in 65536; checked below)
        Add("START", "ERR 409");
        Add("PRIME 10", "ERR 409");
        Add("BOLUS:CANCEL", "ERR 409");
        Add("ALARM:ACK STALL", "ERR 409");
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_refused_request_changes_nothing(string request, string expectedPrefix)
    {
        var device = RunningDevice();
        byte[] before = StateWithoutLog(device);
        long logBefore = device.App.Log.NextSeq;

        string status = device.Status(request);

        Assert.StartsWith(expectedPrefix, status);
        Assert.Equal(before, StateWithoutLog(device));
        Assert.Equal(logBefore, device.App.Log.NextSeq);
    }

    [Fact]
    public void A_refused_PTM_changes_nothing_but_its_log_record()
    {
        var device = RunningDevice();
        Assert.StartsWith("OK dose_ug=10.000", device.Status("PTM"));
        device.Advance(6 * 60); // the 5 min bolus is over; the 60 min lockout is not
        Assert.StartsWith("OK", device.Status("AUTH 0000"));
        byte[] before = StateWithoutLog(device);
        long logBefore = device.App.Log.NextSeq;

        Assert.StartsWith("ERR 423", device.Status("PTM"));

        Assert.Equal(before, StateWithoutLog(device));
        Assert.Equal(logBefore + 1, device.App.Log.NextSeq);
        Assert.Equal(EventLogTypes.Ptm, device.App.Log.Type(logBefore));
    }

    [Fact]
    public void The_staged_crc_in_the_409_row_is_not_0000()
    {
        var device = RunningDevice();
        Assert.DoesNotContain("crc=0000", device.Status("PROG:REVIEW"));
    }

    /// <summary>The therapy image, the PIN state and the volatile state; not the log and not the
    /// timeline stamp of the last change (which a refusal record legitimately moves).</summary>
    public static byte[] StateWithoutLog(TestDevice device)
    {
        var buffer = new byte[PumpFirmware.App.PumpApplication.MaxStateBytes];
        var writer = new StateWriter(buffer);
        device.App.Controller.Save(writer);
        device.App.Auth.Save(writer);
        device.App.SaveVolatileState(writer);
        Assert.False(writer.Overflow);
        return buffer[..writer.Position];
    }
}
