using PumpFirmware.VirtualDevice.Device;
using Xunit;

namespace PumpFirmware.VirtualDevice.Tests.Device;

/// <summary>Occlusion as physics through the protocol (issue 18): with the pressure plant a block builds pressure
/// from the volume held back through the compliance, OCCLUSION comes at the limit after volume/rate, and the release
/// delivers the held volume as a bolus onto the balance.</summary>
public class PressureOcclusionTests
{
    // 500 ug/mL at 120 ug/day = 240 uL/day = 10 uL/h.
    private static PumpBench Running(double compliance, string rateUgDay = "120", double leakS = 0)
    {
        var bench = new PumpBench(new VirtualPumpOptions { PressurePlant = true, ComplianceMicrolitersPer100MmHg = compliance, PressureLeakSeconds = leakS });
        bench.Program("PROG:DRUG baclofen 500", "PROG:LIMIT 5000", "PROG:STEP 00:00 " + rateUgDay, "PROG:RESERVOIR 20000 2000");
        bench.Ok("REFILL 20000");
        bench.Ok("START");
        return bench;
    }

    private static double Seconds(List<string> lines, string alarm)
    {
        string line = lines.Single(l => l.StartsWith("!ALARM code=" + alarm + " state=RAISED", StringComparison.Ordinal));
        return PumpBench.Field(line, "t_ms") / 1000.0;
    }

    [Fact]
    public void At_10_ul_per_hour_a_block_alarms_after_hours_when_C_times_P_over_100_is_held_back()
    {
        // C = 10 uL/100 mmHg, limit 300 mmHg: 30 uL held back, which takes 3 h at 10 uL/h.
        var bench = Running(10);
        bench.Send("SIM:ADVANCE 600");
        Assert.Equal(0, PumpBench.Field(bench.Status("PRESSURE?"), "pressure_mmhg"));
        long blockedAtMs = PumpBench.Field(bench.Status("STATUS?"), "t_ms");
        bench.Ok("SIM:FAULT OCCLUSION");
        var lines = bench.Send("SIM:ADVANCE 14400");
        double toAlarm = Seconds(lines, "OCCLUSION") - blockedAtMs / 1000.0;
        Assert.InRange(toAlarm, 3 * 3600 - 10, 3 * 3600 + 10);
        string status = bench.Status("STATUS?");
        Assert.Equal("ALARM", PumpBench.Word(status, "state"));
        Assert.InRange(PumpBench.Field(status, "pressure_mmhg") / 1000.0, 300, 301);
        // Within the sensor's 1 mV (0.5 mmHg = 0.05 uL) and the steps of the filter's last second.
        double held = bench.Pump.PressureModel!.HeldNanoliters / 1000;
        Assert.InRange(held, 29.95, 30.1);

        // The release: the held-back volume leaves at once, an unintended bolus on the balance.
        double before = bench.Pump.Balance.TrueMassGrams;
        bench.Ok("SIM:FAULT NONE");
        double bolusUl = (bench.Pump.Balance.TrueMassGrams - before) / 0.998 * 1000;
        Assert.InRange(bolusUl, held - 0.001, held + 0.001);
        bench.Send("SIM:ADVANCE 5");
        Assert.Equal(0, PumpBench.Field(bench.Status("PRESSURE?"), "pressure_mmhg"));
        // Latched until acknowledged, then SUSPENDED until START.
        bench.Ok("ALARM:ACK OCCLUSION");
        Assert.Equal("SUSPENDED", PumpBench.Word(bench.Status("STATUS?"), "state"));
    }

    [Fact]
    public void At_a_bolus_rate_the_same_block_alarms_within_minutes()
    {
        var bench = Running(10);
        bench.Ok("AUTH 0000");
        // 150 ug over 10 min at 500 ug/mL = 300 uL in 10 min (1.8 mL/h) on top of the basal: 30 uL in about a minute.
        bench.Ok("BOLUS 150 10");
        bench.Ok("SIM:FAULT OCCLUSION");
        var lines = bench.Send("SIM:ADVANCE 600");
        double toAlarm = Seconds(lines, "OCCLUSION");
        double rateUlPerS = (300.0 / 600) + 10.0 / 3600;
        Assert.InRange(toAlarm, 30 / rateUlPerS - 1, 30 / rateUlPerS + 3);
        Assert.Contains(lines, l => l.StartsWith("!ALARM code=OCCLUSION state=RAISED", StringComparison.Ordinal));
        Assert.Equal("NONE", PumpBench.Word(bench.Status("STATUS?"), "bolus"));
    }

    [Fact]
    public void An_unreadable_sensor_stops_delivery_as_an_occlusion_and_clears_once_it_reads_again()
    {
        var bench = Running(10);
        bench.Send("SIM:ADVANCE 60");
        bench.Ok("SIM:FAULT PRESSURE_SENSOR");
        var lines = bench.Send("SIM:ADVANCE 10");
        Assert.InRange(Seconds(lines, "OCCLUSION"), 60, 64);
        string query = bench.Status("PRESSURE?");
        Assert.Equal("FAULT", PumpBench.Word(query, "sensor"));
        Assert.Equal("FAULT", PumpBench.Word(bench.Status("STATUS?"), "pressure_mmhg"));
        bench.Ok("ALARM:ACK OCCLUSION");
        Assert.Equal("ALARM", PumpBench.Word(bench.Status("STATUS?"), "state"));
        bench.Ok("SIM:FAULT NONE");
        lines = bench.Send("SIM:ADVANCE 5");
        Assert.Contains(lines, l => l.StartsWith("!ALARM code=OCCLUSION state=CLEARED", StringComparison.Ordinal));
    }

    [Fact]
    public void The_limit_and_the_calibration_are_set_by_command_and_change_the_alarm_volume()
    {
        var bench = Running(10);
        bench.Ok("AUTH 0000");
        bench.Ok("PRESSURE:LIMIT 100");
        bench.Ok("SIM:FAULT OCCLUSION");
        var lines = bench.Send("SIM:ADVANCE 7200");
        // 100 mmHg x 10 uL/100 mmHg = 10 uL: one hour at 10 uL/h.
        Assert.InRange(Seconds(lines, "OCCLUSION"), 3600 - 10, 3600 + 10);
        bench.Ok("AUTH 0000");
        Assert.Equal("ERR 422 mmhg out of range 10..2000", bench.Status("PRESSURE:LIMIT 2001"));
        Assert.StartsWith("ERR 400", bench.Status("PRESSURE:CAL 1.5 2"));
        Assert.StartsWith("ERR 422", bench.Status("PRESSURE:CAL 200 0"));
        bench.Ok("PRESSURE:CAL 100 1");
        string query = bench.Status("PRESSURE?");
        Assert.Equal(100, PumpBench.Field(query, "zero_mv"));
        Assert.Equal(1000, PumpBench.Field(query, "mv_per_mmhg"));
    }

    [Fact]
    public void Without_the_pressure_plant_nothing_changes_a_block_alarms_at_once_and_no_pressure_field_is_sent()
    {
        var bench = new PumpBench();
        string status = bench.Status("STATUS?");
        Assert.DoesNotContain("pressure_mmhg", status);
        Assert.Equal("OK fitted=NO limit_mmhg=300.000 zero_mv=200 mv_per_mmhg=2.000", bench.Status("PRESSURE?"));
        Assert.StartsWith("ERR 400", bench.Status("SIM:FAULT PRESSURE_SENSOR"));
        // Settings of a sensor that is not there are refused: nothing to apply, nothing stored.
        bench.Ok("AUTH 0000");
        Assert.Equal("ERR 409 no pressure sensor", bench.Status("PRESSURE:LIMIT 100"));
        Assert.Equal("ERR 409 no pressure sensor", bench.Status("PRESSURE:CAL 200 2"));
        Assert.StartsWith("ERR 400", bench.Status("PRESSURE:CAL 2.5 2"));
        bench.Program("PROG:DRUG baclofen 500", "PROG:LIMIT 5000", "PROG:STEP 00:00 120");
        bench.Ok("REFILL 20000");
        bench.Ok("START");
        var lines = bench.Send("SIM:FAULT OCCLUSION");
        Assert.Contains(lines, l => l.StartsWith("!ALARM code=OCCLUSION state=RAISED", StringComparison.Ordinal));
    }

    [Fact]
    public void A_leak_back_slows_the_rise_so_the_alarm_comes_later()
    {
        // With a leak time constant of 2 h, the held volume tends to rate x tau = 20 uL < 30 uL: no alarm ever.
        var bench = Running(10, leakS: 7200);
        bench.Ok("SIM:FAULT OCCLUSION");
        var lines = bench.Send("SIM:ADVANCE 36000");
        Assert.DoesNotContain(lines, l => l.StartsWith("!ALARM code=OCCLUSION", StringComparison.Ordinal));
        double pressure = PumpBench.Field(bench.Status("PRESSURE?"), "pressure_mmhg") / 1000.0;
        Assert.InRange(pressure, 190, 200);
    }
}

/// <summary>The pressure rule's settings are state section 6: they survive a power cycle, are logged, and a
/// request refused with an error changes none of them.</summary>
public class PressureSettingsPersistenceTests
{
    [Fact]
    public void Limit_and_calibration_survive_a_power_cycle_and_are_logged()
    {
        var bench = new PumpBench(new VirtualPumpOptions { PressurePlant = true });
        bench.Ok("AUTH 0000");
        bench.Ok("PRESSURE:LIMIT 250.5");
        bench.Ok("PRESSURE:CAL 180 2.5");
        bench.Send("SIM:POWERCYCLE 60");
        string query = bench.Status("PRESSURE?");
        Assert.Equal(250500, PumpBench.Field(query, "limit_mmhg"));
        Assert.Equal(180, PumpBench.Field(query, "zero_mv"));
        Assert.Equal(2500, PumpBench.Field(query, "mv_per_mmhg"));
        var log = bench.Send("LOG? 1 100");
        Assert.Contains(log, l => l.Contains("type=CAL pressure_limit_mmhg=250.500 previous_mmhg=300.000"));
        Assert.Contains(log, l => l.Contains("type=CAL pressure_zero_mv=180 mv_per_mmhg=2.500"));
        // The sensor reads 200 mV at 0 mmHg; under the new calibration that is (200 - 180) / 2.5 = 8 mmHg.
        bench.Send("SIM:ADVANCE 3");
        Assert.Equal(8000, PumpBench.Field(bench.Status("PRESSURE?"), "pressure_mmhg"));
    }

    [Fact]
    public void A_store_moves_between_pumps_with_and_without_a_sensor_and_keeps_its_pressure_settings()
    {
        // The section is in every image, sensor or not, so a state folder written under --plant pressure also boots
        // a pump without the sensor (and the settings come back when it is fitted again).
        var store = new PumpFirmware.Hal.Simulated.MemoryRecordStore();
        var fitted = new PumpBench(new VirtualPumpOptions { PressurePlant = true, Store = store });
        fitted.Ok("AUTH 0000");
        fitted.Ok("PRESSURE:LIMIT 120");
        var without = new PumpBench(new VirtualPumpOptions { Store = store });
        Assert.Equal("NONE", PumpBench.Word(without.Status("STATUS?"), "alarms"));
        without.Ok("AUTH 0000");
        Assert.StartsWith("ERR 409 no pressure sensor", without.Status("PRESSURE:LIMIT 200"));
        var again = new PumpBench(new VirtualPumpOptions { PressurePlant = true, Store = store });
        Assert.Equal(120000, PumpBench.Field(again.Status("PRESSURE?"), "limit_mmhg"));

        // A store from before the section existed (none in its image) boots with the defaults.
        var plainStore = new PumpFirmware.Hal.Simulated.MemoryRecordStore();
        var plain = new PumpBench(new VirtualPumpOptions { Store = plainStore });
        plain.Program("PROG:DRUG baclofen 500", "PROG:LIMIT 5000", "PROG:STEP 00:00 120");
        var later = new PumpBench(new VirtualPumpOptions { PressurePlant = true, Store = plainStore });
        Assert.DoesNotContain("CRITICAL", PumpBench.Word(later.Status("STATUS?"), "alarms"));
        Assert.Equal(300000, PumpBench.Field(later.Status("PRESSURE?"), "limit_mmhg"));
    }

    [Theory]
    [InlineData("PRESSURE:LIMIT 9.999", "ERR 422")]
    [InlineData("PRESSURE:LIMIT abc", "ERR 400")]
    [InlineData("PRESSURE:LIMIT", "ERR 400 wrong number of arguments: PRESSURE:LIMIT <mmhg>")]
    [InlineData("PRESSURE:CAL 5001 2", "ERR 422 zero_mv=5001 out of range 0..5000")]
    [InlineData("PRESSURE:CAL 200 1000.001", "ERR 422 mv_per_mmhg out of range 0.001..1000")]
    [InlineData("PRESSURE:CAL 200", "ERR 400 wrong number of arguments: PRESSURE:CAL <zero_mv> <mv_per_mmhg>")]
    [InlineData("PRESSURE? 1", "ERR 400")]
    public void A_refused_setting_changes_nothing(string request, string error)
    {
        var bench = new PumpBench(new VirtualPumpOptions { PressurePlant = true });
        bench.Ok("AUTH 0000");
        string before = bench.Status("PRESSURE?");
        Assert.StartsWith(error, bench.Status(request));
        Assert.Equal(before, bench.Status("PRESSURE?"));
    }

    [Fact]
    public void Settings_need_a_session_and_the_query_does_not()
    {
        var bench = new PumpBench();
        Assert.Equal("ERR 403 auth required", bench.Status("PRESSURE:LIMIT 100"));
        Assert.Equal("ERR 403 auth required", bench.Status("PRESSURE:CAL 200 2"));
        Assert.StartsWith("OK fitted=NO", bench.Status("PRESSURE?"));
        Assert.Contains("PRESSURE", PumpBench.Word(bench.Status("CAPS?"), "caps").Split(','));
    }
}
