using PumpFirmware.VirtualDevice.Device;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Device;

/// <summary>Battery life through the protocol (docs/PROTOCOL.md "Battery: ERI and end of service"): BATT?,
/// BATT:REPLACED, the ERI and EOS alarms, the voltage correction, on the virtual device with a simulated cell.</summary>
public class BatteryTests
{
    private const long Day = 86_400;

    // 50 mAh at 16 µA: 180,000,000,000 nC / 16,000 nA = 11,250,000 s = 130.2 days to EOS with the motor still; ERI 90
    // days earlier, at 40.2 days. The serial bytes (100 nC each) bring both a little earlier.
    private static PumpBench Battery(int errorPpm = 0) =>
        new(new VirtualPumpOptions { BatteryCapacityMah = 50, BatteryCapacityErrorPpm = errorPpm });

    private static long AlarmMs(List<string> lines, string code, string state)
    {
        string line = lines.Single(l => l.StartsWith($"!ALARM code={code} state={state}", StringComparison.Ordinal));
        return PumpBench.Field(line, "t_ms");
    }

    [Fact]
    public void A_mains_powered_pump_has_no_gauge_and_refuses_a_replacement()
    {
        var bench = new PumpBench();
        Assert.Equal("OK source=MAINS", bench.Status("BATT?"));
        Assert.Equal("ERR 403 auth required", bench.Status("BATT:REPLACED"));
        bench.Ok("AUTH 0000");
        Assert.Equal("ERR 409 no battery (mains powered)", bench.Status("BATT:REPLACED"));
        Assert.Equal("OK fitted=NO", bench.Status("SIM:BATTERY"));
        Assert.StartsWith("ERR 409 no battery", bench.Status("SIM:BATTERY NEW"));
        Assert.Equal("ERR 400 wrong number of arguments: BATT?", bench.Status("BATT? 1"));
    }

    [Fact]
    public void A_fresh_cell_reports_its_charge_and_forecast()
    {
        var bench = Battery();
        string batt = bench.Status("BATT?");
        Assert.StartsWith("OK source=BATTERY remaining_mah=", batt);
        Assert.Equal(50_000, PumpBench.Field(batt, "capacity_mah"));
        Assert.InRange(PumpBench.Field(batt, "remaining_mah"), 49_990, 50_000);
        Assert.Equal(16_000, PumpBench.Field(batt, "drain_ua"));
        // EOS in at most 11,250,000 s; ERI 90 days (7,776,000 s) before it.
        long eos = PumpBench.Field(batt, "eos_in_s");
        Assert.InRange(eos, 11_240_000, 11_250_000);
        Assert.InRange(PumpBench.Field(batt, "eri_in_s"), eos - 90 * Day - 1, eos - 90 * Day);
        Assert.Equal("NO", PumpBench.Word(batt, "eri"));
        Assert.Equal("OK", PumpBench.Word(batt, "adc"));
        Assert.InRange(PumpBench.Field(batt, "voltage_mv"), 3599, 3600);
        Assert.Equal(0, PumpBench.Field(batt, "replacements"));
    }

    [Fact]
    public void Eri_is_raised_on_its_forecast_day_and_delivery_goes_on_until_eos_stops_it()
    {
        var bench = Battery();
        bench.Program("PROG:DRUG baclofen 2000", "PROG:LIMIT 400", "PROG:STEP 00:00 240", "PROG:RESERVOIR 20000 100");
        bench.Ok("REFILL 20000");
        bench.Ok("START");
        // 240 ug/day at 2000 ug/mL = 0.12 mL/day = 7,680 steps/day x 8 uC = 0.0614 C/day on top of 1.3824 C/day:
        // 180 C / 1.44384 C/day = 124.7 days to EOS, ERI 90 days earlier at 34.7 days.
        string batt = bench.Status("BATT?");
        long eriIn = PumpBench.Field(batt, "eri_in_s");
        Assert.InRange(eriIn, 34 * Day, 35 * Day);
        var lines = bench.Send("SIM:ADVANCE " + (40 * Day));
        long eriMs = AlarmMs(lines, "ERI", "RAISED");
        // Raised when forecast (within the hour the forecast moves by the serial bytes of the requests since).
        Assert.InRange(eriMs / 1000, eriIn - 3600, eriIn + 1);
        Assert.DoesNotContain(lines, l => l.StartsWith("!ALARM code=EOS", StringComparison.Ordinal));
        string status = bench.Status("STATUS?");
        Assert.Equal("RUNNING", PumpBench.Word(status, "state"));
        Assert.Equal("ERI", PumpBench.Word(status, "alarms"));
        long stepsAtEri = PumpBench.Field(status, "steps");
        Assert.InRange(stepsAtEri, 40 * 7_680 - 2, 40 * 7_680 + 2);
        // 90 days later (the forecast drain holds): EOS stops delivery. Never later; a few hours earlier at most, the
        // voltage readings' 1 mV resolution below the knee (0.6 permille of 50 mAh per mV: 1.8 h).
        lines = bench.Send("SIM:ADVANCE " + (90 * Day));
        long eosMs = AlarmMs(lines, "EOS", "RAISED");
        Assert.InRange(eosMs / 1000 - eriMs / 1000, 90 * Day - 3 * 3600, 90 * Day + 1);
        status = bench.Status("STATUS?");
        Assert.Equal("ALARM", PumpBench.Word(status, "state"));
        Assert.Equal("ERI,EOS", PumpBench.Word(status, "alarms"));
        long stepsAtEos = PumpBench.Field(status, "steps");
        bench.Send("SIM:ADVANCE " + Day);
        Assert.Equal(stepsAtEos, PumpBench.Field(bench.Status("STATUS?"), "steps"));
        Assert.False(bench.Pump.Driver.IsEnabled);
    }

    [Fact]
    public void No_commit_clears_end_of_service_only_a_replacement_does_and_the_pump_then_waits_for_start()
    {
        var bench = Battery();
        bench.Program("PROG:DRUG baclofen 2000", "PROG:LIMIT 400", "PROG:STEP 00:00 240");
        bench.Ok("REFILL 20000");
        bench.Ok("START");
        bench.Send("SIM:ADVANCE " + (130 * Day));
        Assert.Equal("ERI,EOS", PumpBench.Word(bench.Status("STATUS?"), "alarms"));
        bench.Program("PROG:DRUG baclofen 2000", "PROG:LIMIT 400", "PROG:STEP 00:00 200");
        Assert.Equal("ERI,EOS", PumpBench.Word(bench.Status("STATUS?"), "alarms"));
        Assert.Equal("ERR 409 state ALARM", bench.Status("START"));
        bench.Ok("ALARM:ACK EOS");
        Assert.Equal("ALARM", PumpBench.Word(bench.Status("STATUS?"), "state"));
        // A power cycle keeps it.
        bench.Send("SIM:POWERCYCLE 60");
        bench.Ok("AUTH 0000");
        Assert.Equal("ERI,EOS", PumpBench.Word(bench.Status("STATUS?"), "alarms"));
        // The replacement: a new cell in the plant, then BATT:REPLACED tells the firmware.
        bench.Ok("SIM:BATTERY NEW");
        var lines = bench.Send("BATT:REPLACED");
        Assert.Equal("OK remaining_mah=50.000 replacements=1", lines.Last(l => !l.StartsWith('!')));
        Assert.Contains(lines, l => l.StartsWith("!ALARM code=EOS state=CLEARED", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("!ALARM code=ERI state=CLEARED", StringComparison.Ordinal));
        string status = bench.Status("STATUS?");
        Assert.Equal("SUSPENDED", PumpBench.Word(status, "state"));
        Assert.Equal("NONE", PumpBench.Word(status, "alarms"));
        bench.Ok("START");
        Assert.Equal("RUNNING", PumpBench.Word(bench.Status("STATUS?"), "state"));
        string log = string.Join("\n", bench.Send("LOG? 1 100"));
        Assert.Contains("type=BATTERY event=REPLACED used_mah=", log);
        Assert.Contains("replacements=1", log);
    }

    [Fact]
    public void A_weaker_cell_than_nominal_is_caught_by_its_voltage_before_the_model_would_end_service()
    {
        // The cell holds 20 % less than the firmware's 50 mAh: it is empty at 40 mAh, after 104.2 days at 16 µA.
        var bench = Battery(errorPpm: -200_000);
        var lines = bench.Send("SIM:ADVANCE " + (110 * Day));
        long eosMs = AlarmMs(lines, "EOS", "RAISED");
        // The voltage reaches 3.0 V at 104.2 days; three hourly readings later the gauge ends service (not at the
        // model's 130 days).
        Assert.InRange(eosMs / 1000, 104 * Day, 104 * Day + 6 * 3600 + Day / 5);
        string batt = bench.Status("BATT?");
        Assert.Equal(0, PumpBench.Field(batt, "remaining_mah"));
        Assert.Equal("YES", PumpBench.Word(batt, "eos"));
        Assert.True(PumpBench.Field(batt, "voltage_mv") <= 3000);
    }

    [Fact]
    public void A_failing_adc_is_reported_and_the_model_goes_on()
    {
        var bench = Battery();
        bench.Ok("SIM:BATTERY ADC FAIL");
        bench.Send("SIM:ADVANCE 7200");
        string batt = bench.Status("BATT?");
        Assert.Equal("FAULT", PumpBench.Word(batt, "adc"));
        Assert.InRange(PumpBench.Field(batt, "voltage_mv"), 3599, 3600); // the last good reading, at boot
        // The model alone: 2 h at 16 uA = 0.032 mAh, and a few hundred serial bytes.
        Assert.InRange(PumpBench.Field(batt, "remaining_mah"), 49_960, 49_968);
        bench.Ok("SIM:BATTERY ADC OK");
        bench.Send("SIM:ADVANCE 3600");
        Assert.Equal("OK", PumpBench.Word(bench.Status("BATT?"), "adc"));
    }

    [Fact]
    public void Sim_battery_sets_and_shows_the_true_cell()
    {
        var bench = Battery();
        string cell = bench.Status("SIM:BATTERY");
        Assert.StartsWith("OK fitted=YES capacity_mah=50.000 used_mah=", cell);
        Assert.Equal("OK", bench.Status("SIM:BATTERY USED 45"));
        cell = bench.Status("SIM:BATTERY");
        Assert.Equal(45_000, PumpBench.Field(cell, "used_mah"));
        // 10 % left: on the steep part below the 3.5 V knee (3.4 V at 6 %, 3.5 V at 12 %).
        Assert.Equal(3466, PumpBench.Field(cell, "voltage_mv"));
        Assert.StartsWith("ERR 422 used_mah exceeds capacity_mah", bench.Status("SIM:BATTERY USED 50.001"));
        Assert.StartsWith("ERR 400", bench.Status("SIM:BATTERY USED x"));
        Assert.StartsWith("ERR 400", bench.Status("SIM:BATTERY OLD"));
        Assert.StartsWith("ERR 400", bench.Status("SIM:BATTERY ADC"));
        // The pump idles: it reads the voltage hourly. The reading at boot was 3600 mV; three at 3466 mV (1, 2 and 3
        // hours) bound the firmware's estimate to 60 + ceil(66 x 60 / 100) = 100 permille of 50 mAh.
        bench.Send("SIM:ADVANCE 7200");
        Assert.True(PumpBench.Field(bench.Status("BATT?"), "remaining_mah") > 49_000);
        bench.Send("SIM:ADVANCE 3600");
        Assert.InRange(PumpBench.Field(bench.Status("BATT?"), "remaining_mah"), 4_999, 5_000);
    }
}

/// <summary>docs/PROTOCOL-GUIDE.md's battery example (the code block after `&lt;!-- virtual device: BatteryGuideExampleTests --&gt;`)
/// is a real exchange: its requests, sent to a battery-powered virtual pump, give every answer line it shows.</summary>
public class BatteryGuideExampleTests
{
    [Fact]
    public void Every_line_of_the_guides_battery_example_comes_from_a_battery_powered_virtual_pump()
    {
        string root = typeof(BatteryGuideExampleTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!;
        string[] guide = File.ReadAllLines(Path.Combine(root, "docs", "PROTOCOL-GUIDE.md"));
        int marker = Array.FindIndex(guide, l => l.StartsWith("<!-- virtual device: BatteryGuideExampleTests", StringComparison.Ordinal));
        Assert.True(marker >= 0, "the guide has no battery example");
        int open = Array.FindIndex(guide, marker, l => l.StartsWith("```", StringComparison.Ordinal));
        int close = Array.FindIndex(guide, open + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        var block = guide[(open + 1)..close];

        var bench = new PumpBench(new VirtualPumpOptions { BatteryCapacityMah = 50 });
        bench.Program("PROG:DRUG baclofen 2000", "PROG:LIMIT 400", "PROG:STEP 00:00 240", "PROG:RESERVOIR 20000 100");
        bench.Ok("REFILL 20000");
        bench.Ok("START");
        bench.Ok("LOGOUT");
        var received = new List<string>();
        foreach (string line in block.Where(l => l.StartsWith("> ", StringComparison.Ordinal)))
        {
            received.AddRange(bench.Send(line[2..]));
        }
        var missing = block.Where(l => l.StartsWith("< ", StringComparison.Ordinal) && !received.Contains(l[2..])).ToList();
        Assert.True(missing.Count == 0, "not answered:\n" + string.Join("\n", missing) + "\nreceived:\n" + string.Join("\n", received));
        Assert.True(block.Count(l => l.StartsWith("< ", StringComparison.Ordinal)) >= 10);
    }
}
