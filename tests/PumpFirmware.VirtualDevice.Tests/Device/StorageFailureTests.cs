using PumpFirmware.Hal.Simulated;
using PumpFirmware.VirtualDevice.Device;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Device;

/// <summary>
/// PROTOCOL.md, storage failure: a storage write that fails raises CRITICAL (motor disabled); every request is
/// still answered; one that would change persisted state gets <c>ERR 500 storage</c> and changes nothing; it
/// clears as CRITICAL does, by a commit, once writes succeed again; never a crash.
/// </summary>
public sealed class StorageFailureTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "pf-storage-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state)) Directory.Delete(_state, true);
    }

    // Each record file becomes a folder of the same name: every write to it throws.
    private void BreakStorage()
    {
        for (int id = 1; id <= 3; id++)
        {
            string path = Path.Combine(_state, $"record-{id}.bin");
            if (File.Exists(path)) File.Delete(path);
            Directory.CreateDirectory(path);
        }
    }

    private void RepairStorage()
    {
        for (int id = 1; id <= 3; id++)
        {
            string path = Path.Combine(_state, $"record-{id}.bin");
            if (Directory.Exists(path)) Directory.Delete(path);
        }
    }

    private PumpBench RunningPump()
    {
        var bench = new PumpBench(new VirtualPumpOptions { Store = new FolderRecordStore(_state) });
        bench.Ok("AUTH 0000");
        bench.Program("PROG:DRUG baclofen 500", "PROG:LIMIT 1000", "PROG:STEP 00:00 960");
        bench.Ok("REFILL 20000");
        bench.Ok("START");
        bench.Ok("SIM:ADVANCE 600");
        return bench;
    }

    [Fact]
    public void A_write_that_fails_while_running_raises_CRITICAL_disables_the_motor_and_every_request_is_answered()
    {
        var bench = RunningPump();
        BreakStorage();

        var lines = bench.Send("SIM:ADVANCE 600");
        Assert.Contains(lines, l => l.StartsWith("!ALARM code=CRITICAL state=RAISED", StringComparison.Ordinal));
        Assert.StartsWith("OK t_ms=", lines[^1]);
        string status = bench.Status("STATUS?");
        Assert.Equal("ALARM", PumpBench.Word(status, "state"));
        Assert.Equal("CRITICAL", PumpBench.Word(status, "alarms"));
        Assert.False(bench.Pump.Driver.IsEnabled);
        long steps = PumpBench.Field(status, "steps");
        bench.Ok("SIM:ADVANCE 600");
        Assert.Equal(steps, PumpBench.Field(bench.Status("STATUS?"), "steps"));

        // Requests that would change persisted state are refused and change nothing; the others are answered.
        Assert.Equal("ERR 500 storage", bench.Status("AUTH 1234"));        // the wrong-PIN count cannot be kept
        Assert.Equal("OK session_s=600", bench.Status("AUTH 0000"));       // a right one changes nothing stored
        Assert.Equal("ERR 409 state ALARM", bench.Status("PTM"));
        Assert.Equal("OK", bench.Status("STOP"));                            // in ALARM it changes nothing: answered
        Assert.Equal("ERR 500 storage", bench.Status("REFILL 100"));
        Assert.Equal("ERR 500 storage", bench.Status("ALARM:ACK CRITICAL"));
        string unchanged = bench.Status("STATUS?");
        Assert.Equal("ALARM", PumpBench.Word(unchanged, "state"));
        Assert.Equal(PumpBench.Word(status, "reservoir_ul"), PumpBench.Word(unchanged, "reservoir_ul"));
        Assert.StartsWith("OK vendor=", bench.Status("*IDN?"));
        Assert.StartsWith("OK crc=", bench.Status("PROG?"));
        Assert.StartsWith("OK alarms=CRITICAL", bench.Status("ALARM?"));
    }

    [Fact]
    public void STOP_sent_just_after_the_record_file_became_a_folder_is_answered_and_the_motor_stops()
    {
        var bench = RunningPump();
        bench.Ok("AUTH 0000");
        BreakStorage();
        var lines = bench.Send("STOP");
        Assert.Equal("ERR 500 storage", lines.Last(l => !l.StartsWith('!')));
        Assert.Contains(lines, l => l.StartsWith("!ALARM code=CRITICAL state=RAISED", StringComparison.Ordinal));
        Assert.Equal("ALARM", PumpBench.Word(bench.Status("STATUS?"), "state"));
        Assert.False(bench.Pump.Driver.IsEnabled);
    }

    [Fact]
    public void A_request_whose_change_cannot_be_stored_is_refused_and_changes_nothing()
    {
        var bench = RunningPump();
        bench.Ok("AUTH 0000");
        bench.Ok("STOP"); // SUSPENDED
        bench.Ok("STOP"); // STOPPED: nothing is written while idle
        string before = bench.Status("STATUS?");
        long logNext = bench.Pump.App.Log.NextSeq;
        BreakStorage();

        Assert.Equal("ERR 500 storage", bench.Status("REFILL 5000"));
        string after = bench.Status("STATUS?");
        Assert.Equal(PumpBench.Word(before, "reservoir_ul"), PumpBench.Word(after, "reservoir_ul"));
        Assert.Equal("CRITICAL", PumpBench.Word(after, "alarms"));
        // The refill's log record never became durable and is gone; the CRITICAL alarm's is kept (in memory).
        Assert.DoesNotContain(bench.Send("LOG? " + logNext + " 10"), l => l.Contains("type=REFILL"));
        Assert.True(bench.Pump.App.StorageFailed);
        // The session survives the rollback.
        Assert.Equal("ERR 409 state ALARM", bench.Status("START"));
    }

    [Fact]
    public void CRITICAL_from_storage_clears_by_a_commit_once_writes_succeed_again()
    {
        var bench = RunningPump();
        BreakStorage();
        bench.Ok("SIM:ADVANCE 600");
        bench.Ok("AUTH 0000");
        bench.Ok("PROG:LOAD");
        Assert.Equal("ERR 500 storage", bench.Status("PROG:COMMIT " + bench.Status("PROG:REVIEW").Substring(7, 4)));
        Assert.Contains("CRITICAL", bench.Status("ALARM?"));

        RepairStorage();
        bench.Ok("AUTH 0000");
        bench.Ok("PROG:LOAD");
        string review = bench.Status("PROG:REVIEW");
        var commit = bench.Send("PROG:COMMIT " + review.Substring(7, 4));
        Assert.StartsWith("OK crc=", commit.Last(l => !l.StartsWith('!')));
        Assert.Contains(commit, l => l.StartsWith("!ALARM code=CRITICAL state=CLEARED", StringComparison.Ordinal));
        Assert.StartsWith("OK alarms=NONE", bench.Status("ALARM?"));
        Assert.False(bench.Pump.App.StorageFailed);

        // What was stored is what a power-on finds.
        bench.Ok("START");
        bench.Ok("SIM:ADVANCE 60");
        bench.Ok("SIM:POWERCYCLE 5");
        Assert.Equal("RUNNING", PumpBench.Word(bench.Status("STATUS?"), "state"));
    }
}
