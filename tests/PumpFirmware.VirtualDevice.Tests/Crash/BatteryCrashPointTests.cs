using PumpFirmware.Hal.Simulated;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using PumpFirmware.VirtualDevice.Device;
using PumpFirmware.VirtualDevice.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace PumpFirmware.VirtualDevice.Tests.Crash;

/// <summary>
/// Power cuts at every storage write of a battery's whole life (state section 5, docs/STORAGE.md). A 50 mAh cell powers
/// a pump running a slow program for 135 days: the gauge moves its ceiling about every 9 hours, raises ERI on day 40
/// and EOS on day 129. At each write the test copies the store, applies none, half or all of that write (as a power
/// loss at that byte would leave it), boots a fresh pump on the copy and checks that the charge consumed is never
/// forgotten: the restored ledger is at least what the simulated cell (the plant, drained by the same figures) had
/// really given at that instant, and at most the headroom above what the running pump had counted; ERI and EOS, once
/// latched, are latched again at the boot. (Right after a boot the running pump's own ledger starts at the restored
/// ceiling, above the truth, and the bytes of its !BOOT line may then be lost with its first commit: that loses part of
/// an over-estimate, never a true charge, which is why the truth is the reference here.)
/// </summary>
public class BatteryCrashPointTests(ITestOutputHelper output)
{
    private const string Text = """
        name battery-crash
        seed 3
        duration 135d
        telemetry off
        plant battery_mah=50
        program
        PROG:DRUG baclofen 2000
        PROG:LIMIT 100
        PROG:STEP 00:00 24
        PROG:RESERVOIR 20000 100
        end
        at 0 refill 20000
        at 0 start
        at 20d powercycle 1h
        at 60d status state = RUNNING
        """;

    [Fact]
    public void A_cut_at_any_write_never_forgets_consumed_charge_nor_a_latched_eri_or_eos()
    {
        var store = new MemoryRecordStore();
        var runner = new ScenarioRunner(Scenario.Parse(Text, "battery-crash"), null, null) { Store = store };
        long branches = 0, maxPessimismNc = 0, maxOverTruthNc = 0, sawEri = 0, sawEos = 0;
        var failures = new List<string>();
        PowerCuts.AtEveryWrite(store, failures, write =>
        {
            VirtualPump pump = runner.Pump;
            var gauge = pump.App.Battery!;
            long counted = gauge.ConsumedNanocoulombs;
            long truth = pump.Battery!.ConsumedNanocoulombs;
            bool eri = gauge.Eri, eos = gauge.Eos;
            foreach (int keep in write.EveryCut)
            {
                long restoredNc = -1;
                VirtualPump branch = PowerCuts.Boot(
                    new VirtualPumpOptions { Store = write.CutAt(keep), StartWorldMicros = pump.Clock.WorldMicros + 60_000_000, BatteryCapacityMah = 50 },
                    (_, app) => restoredNc = app.Battery!.ConsumedNanocoulombs);
                branches++;
                if (branch.LastRestore != JournalOpenResult.Restored) continue; // the first snapshot never landed
                string where = write.Where(keep);
                // The cell drains from world time and pulses, the gauge from its own counts: equal but for rounding (1 nC).
                if (restoredNc < truth - 1) failures.Add($"{where}: restored {restoredNc} nC < true {truth} nC");
                maxPessimismNc = Math.Max(maxPessimismNc, restoredNc - counted);
                maxOverTruthNc = Math.Max(maxOverTruthNc, restoredNc - truth);
                var restored = branch.App.Battery!;
                if (eri && !restored.Eri) failures.Add($"{where}: ERI forgotten");
                if (eos && !restored.Eos) failures.Add($"{where}: EOS forgotten");
                int alarms = branch.App.Controller.Alarms;
                if (restored.Eri != ((alarms & AlarmCode.Eri) != 0) || restored.Eos != ((alarms & AlarmCode.Eos) != 0))
                {
                    failures.Add($"{where}: gauge and alarms disagree");
                }
                if (eri) sawEri++;
                if (eos) sawEos++;
            }
        });
        ScenarioResult result = runner.Run();
        Assert.Empty(result.Failures);
        PowerCuts.AssertNoFailures(failures);
        output.WriteLine($"{store.WriteCount} writes, {branches} boots from cut stores; {sawEri} after ERI, {sawEos} after EOS; "
            + $"restored ledger at most {maxPessimismNc / 3_600_000} uAh above the running pump's and {maxOverTruthNc / 3_600_000} uAh above the truth");
        Assert.True(sawEri > 0 && sawEos > 0, "cuts after ERI and after EOS were exercised");
        Assert.True(maxPessimismNc <= PumpFirmware.Energy.BatteryGauge.HeadroomNanocoulombs);
        // Each power cut costs at most two headrooms of estimate over the truth (the reference's own cut at day 20 added one).
        Assert.True(maxOverTruthNc <= 2 * PumpFirmware.Energy.BatteryGauge.HeadroomNanocoulombs);
        Assert.True(runner.Pump.App.Battery!.Eos);
    }
}
