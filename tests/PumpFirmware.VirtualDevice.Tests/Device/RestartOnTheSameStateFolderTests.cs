using PumpFirmware.Hal.Simulated;
using PumpFirmware.VirtualDevice.Device;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Device;

/// <summary>
/// PROTOCOL.md: restarting the virtual device on an existing <c>--state</c> folder is a power-on, and its
/// battery-backed clock runs on between its processes: under <c>--clock real</c> by the real time between
/// them, under <c>--clock manual</c> by none (off-time 0, and known). Each new <see cref="VirtualPump"/> on
/// the folder is a new process.
/// </summary>
public sealed class RestartOnTheSameStateFolderTests : IDisposable
{
    private const long Unix = 1_767_225_600; // 2026-01-01 00:00:00 UTC
    private readonly string _state = Path.Combine(Path.GetTempPath(), "pf-restart-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state)) Directory.Delete(_state, true);
    }

    private PumpBench Process(ClockMode mode, Func<long>? hostUtcMicros = null) =>
        new(new VirtualPumpOptions { Clock = mode, Store = new FolderRecordStore(_state), HostUtcMicros = hostUtcMicros });

    // 480 ug/day from midnight, nothing from noon: the last half of the day delivers nothing, so nothing is
    // persisted after noon either.
    private static void FlexProgramFromMidnight(PumpBench bench)
    {
        bench.Ok("AUTH 0000");
        bench.Ok("TIME " + Unix);
        bench.Program("PROG:DRUG baclofen 500", "PROG:LIMIT 500", "PROG:STEP 00:00 480", "PROG:STEP 12:00 0");
        bench.Ok("REFILL 20000");
        bench.Ok("START");
    }

    [Fact]
    public void Under_the_manual_clock_a_new_process_is_a_power_on_with_no_off_time_and_the_wall_clock_stands_where_it_was()
    {
        var first = Process(ClockMode.Manual);
        FlexProgramFromMidnight(first);
        first.Ok("SIM:ADVANCE 82800"); // to 23:00
        Assert.Equal($"OK unix_s={Unix + 82800} set=YES", first.Status("TIME?"));
        first.Pump.SaveBatteryClock(); // the process ends

        var second = Process(ClockMode.Manual);
        Assert.Equal("!BOOT fw=1.0.0-sim reset=POWER state=RUNNING", second.Take()[0]);
        Assert.Equal($"OK unix_s={Unix + 82800} set=YES", second.Status("TIME?"));
    }

    [Fact]
    public void A_flex_program_restarted_at_23_00_delivers_its_midnight_step_an_hour_later()
    {
        var first = Process(ClockMode.Manual);
        FlexProgramFromMidnight(first);
        first.Ok("SIM:ADVANCE 82800");
        long steps = PumpBench.Field(first.Status("STATUS?"), "steps");
        first.Pump.SaveBatteryClock();

        var second = Process(ClockMode.Manual);
        second.Ok("SIM:ADVANCE 3599");
        Assert.Equal(steps, PumpBench.Field(second.Status("STATUS?"), "steps")); // 23:00 to 23:59:59: rate 0
        second.Ok("SIM:ADVANCE 61");
        string status = second.Status("STATUS?");
        Assert.Equal("RUNNING", PumpBench.Word(status, "state"));
        Assert.Equal(480_000, PumpBench.Field(status, "rate_ug_day"));
        Assert.True(PumpBench.Field(status, "steps") > steps, "the midnight step delivers at midnight, not 11 hours late");
    }

    [Fact]
    public void Under_the_real_clock_a_new_process_counts_the_real_time_between_the_processes()
    {
        long hostUtc = 1_800_000_000_000_000;
        var first = Process(ClockMode.Real, () => hostUtc);
        first.Ok("AUTH 0000");
        first.Ok("TIME " + Unix);
        first.Pump.SaveBatteryClock();

        hostUtc += 3_600_000_000; // an hour between the processes
        var second = Process(ClockMode.Real, () => hostUtc);
        Assert.Equal("!BOOT fw=1.0.0-sim reset=POWER state=STOPPED", second.Take()[0]);
        string time = second.Status("TIME?");
        Assert.EndsWith(" set=YES", time);
        // The hour off, plus the (real) moments the test itself took.
        Assert.InRange(PumpBench.Field(time, "unix_s"), Unix + 3600, Unix + 3600 + 30);
    }

    [Fact]
    public void A_host_clock_set_back_between_the_processes_counts_no_time_and_never_moves_the_pump_back()
    {
        long hostUtc = 1_800_000_000_000_000;
        var first = Process(ClockMode.Manual, () => hostUtc);
        first.Ok("AUTH 0000");
        first.Ok("TIME " + Unix);
        first.Ok("SIM:ADVANCE 100");
        first.Pump.SaveBatteryClock();

        hostUtc -= 3_600_000_000;
        var second = Process(ClockMode.Real, () => hostUtc);
        Assert.Equal("!BOOT fw=1.0.0-sim reset=POWER state=STOPPED", second.Take()[0]);
        Assert.InRange(PumpBench.Field(second.Status("TIME?"), "unix_s"), Unix + 100, Unix + 130);
    }

    [Fact]
    public void The_battery_clock_lives_beside_the_records_and_says_what_it_holds()
    {
        var first = Process(ClockMode.Manual);
        first.Ok("SIM:ADVANCE 42");
        string text = File.ReadAllText(Path.Combine(_state, BatteryClockFile.FileName));
        Assert.StartsWith("counter_us=42000000 host_utc_us=", text);
    }
}
