using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>The effects the controller queues (TherapyEventKind documents each field), and the alarm rules behind
/// them: a raise or clear is reported once, acknowledgements belong to one alarm, a stopping alarm ends a clinician
/// bolus, PTM or prime but not a bridge. 1 mg/mL at 10^6 steps/mL: one step is 1 nL and 1 ng.</summary>
public class TherapyEventTests
{
    private static Rig Running(long minRateNlPerDay = 0)
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        var p = Program("one", 1_000_000, 100_000, (0, 1_440));      // one step a minute
        Check(p.SetReservoir(1_000_000_000, 0));
        Check(p.SetPtm(100, 10, 60, 3));
        Check(p.SetCatheter(500));
        Check(p.SetMinRate(minRateNlPerDay));
        rig.Begin(p, 1_000_000_000);
        return rig;
    }

    private static (TherapyEventKind, long, int, long, long) Fields(TherapyEvent e) =>
        (e.Kind, e.TimelineMicros, e.Code, e.Value1, e.Value2);

    [Fact]
    public void State_changes_report_the_new_and_the_old_state()
    {
        var rig = Running();
        var start = Assert.Single(rig.EventsOf(TherapyEventKind.StateChanged));
        Assert.Equal((TherapyEventKind.StateChanged, 0L, (int)TherapyState.Running, (long)TherapyState.Stopped, 0L), Fields(start));
        rig.RunTo(Minute);
        rig.Ok(rig.C.Stop(rig.Now));
        var stop = rig.EventsOf(TherapyEventKind.StateChanged).Last();
        Assert.Equal((TherapyEventKind.StateChanged, Minute, (int)TherapyState.Suspended, (long)TherapyState.Running, 0L), Fields(stop));
    }

    [Fact]
    public void A_timed_bolus_reports_its_kind_dose_and_duration_and_wakes_for_its_first_step()
    {
        var rig = Running();
        rig.RunTo(10 * Minute);
        rig.Ok(rig.C.StartClinicianBolus(60, 60, rig.Now));
        var started = Assert.Single(rig.EventsOf(TherapyEventKind.BolusStarted));
        Assert.Equal((TherapyEventKind.BolusStarted, 10 * Minute, (int)BolusKind.Clinician, 60L, 60 * Minute), Fields(started));
        // 1 + 1 steps a minute from 10:00: the next step is 30 s away, not the basal's 60 s.
        Assert.Equal(10 * Minute + 30 * Second, rig.C.NextWakeMicros);
        rig.RunTo(70 * Minute);
        var ended = Assert.Single(rig.EventsOf(TherapyEventKind.BolusEnded));
        Assert.Equal((TherapyEventKind.BolusEnded, 70 * Minute, (int)BolusKind.Clinician, 0L, 0L), Fields(ended));

        var granted = rig.C.RequestPatientBolus(rig.Now);
        Assert.True(granted.IsOk, granted.Detail);
        rig.Drain();
        var ptm = rig.EventsOf(TherapyEventKind.BolusStarted).Last();
        Assert.Equal((TherapyEventKind.BolusStarted, 70 * Minute, (int)BolusKind.Ptm, 100L, 10 * Minute), Fields(ptm));
        // 1 + 10 steps a minute (100 ng over 10 min): the next is 60/11 s away, rounded up to the µs.
        Assert.Equal(70 * Minute + 5_454_546, rig.C.NextWakeMicros);
    }

    [Fact]
    public void A_stopping_alarm_cancels_a_clinician_bolus_with_reason_alarm()
    {
        var rig = Running();
        rig.Ok(rig.C.StartClinicianBolus(60, 60, 0));
        rig.RunTo(5 * Minute);
        rig.C.SetInputs(false, true, false, rig.Now);
        rig.Drain();
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        var cancelled = Assert.Single(rig.EventsOf(TherapyEventKind.BolusCancelled));
        Assert.Equal((TherapyEventKind.BolusCancelled, 5 * Minute, (int)BolusKind.Clinician, TherapyEvent.ReasonAlarm, 0L), Fields(cancelled));
        Assert.Empty(rig.EventsOf(TherapyEventKind.BolusEnded));
    }

    [Fact]
    public void A_stopping_alarm_cancels_a_ptm_and_a_prime()
    {
        var rig = Running();
        Assert.True(rig.C.RequestPatientBolus(0).IsOk);
        rig.C.SetInputs(true, false, false, 0);
        rig.Drain();
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        Assert.Equal((int)BolusKind.Ptm, Assert.Single(rig.EventsOf(TherapyEventKind.BolusCancelled)).Code);

        var prime = new Rig();
        prime.Ok(prime.C.SetCalibration(1_000_000, 0));
        var p = Program("one", 1_000_000, 100_000, (0, 1_440));
        Check(p.SetCatheter(500));
        prime.Ok(prime.C.Commit(p, false, 0));
        prime.Ok(prime.C.Refill(1_000_000, 0));
        prime.Ok(prime.C.Prime(500, 0));
        prime.RunTo(100 * 1000);                                      // 100 of 500 steps at 1000 steps/s
        prime.C.SetInputs(false, true, false, prime.Now);
        prime.Drain();
        Assert.Equal(BolusKind.None, prime.C.ActiveBolus);
        var cancelled = Assert.Single(prime.EventsOf(TherapyEventKind.BolusCancelled));
        Assert.Equal(((int)BolusKind.Prime, TherapyEvent.ReasonAlarm), (cancelled.Code, cancelled.Value1));
        prime.RunTo(Second);
        Assert.Equal(100, prime.C.TotalSteps);                        // the rest is not primed
    }

    [Fact]
    public void A_stopping_alarm_keeps_a_bridge_with_its_remaining_volume()
    {
        var rig = Running(minRateNlPerDay: 1_440);
        var second = Program("two", 2_000_000, 100_000, (0, 2_880));
        Check(second.SetCatheter(30));
        Check(second.SetMinRate(1_440));
        rig.Ok(rig.C.Commit(second, true, 0));
        rig.RunTo(10 * Minute);
        Assert.Equal(20, rig.C.BridgeRemainingNl);
        rig.C.SetInputs(true, false, false, rig.Now);
        rig.Drain();
        Assert.Equal(TherapyState.Alarm, rig.C.State);
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);            // only delivery or a new commit ends it
        Assert.Equal(20, rig.C.BridgeRemainingNl);
        Assert.Empty(rig.EventsOf(TherapyEventKind.BolusCancelled));
        rig.C.SetInputs(false, false, false, rig.Now);
        rig.Ok(rig.C.AcknowledgeAlarm(AlarmCode.Stall, rig.Now));
        Assert.Equal(TherapyState.Suspended, rig.C.State);
        Assert.Equal(1_440, rig.C.RateNgPerDay);                      // the minimum rate, old drug: 1 ng/nL
        rig.RunFor(20 * Minute);
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        Assert.Equal((int)BolusKind.Bridge, Assert.Single(rig.EventsOf(TherapyEventKind.BolusEnded)).Code);
    }

    [Fact]
    public void When_the_bridge_is_delivered_the_old_program_is_forgotten()
    {
        var rig = Running();
        var second = Program("two", 2_000_000, 100_000, (0, 2_880));
        Check(second.SetCatheter(30));
        rig.Ok(rig.C.Commit(second, true, 0));
        rig.RunTo(30 * Minute);                                       // 30 nL at 1 nL/min
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        // The saved image: 5 header bytes, the active program, then the old one, which is now empty.
        var w = new StateWriter(new byte[32 * 1024]);
        rig.C.Save(w);
        var expected = new StateWriter(new byte[8 * 1024]);
        rig.C.ActiveProgram!.Save(expected);
        new Prescription().Save(expected);
        Assert.Equal(expected.Buffer[..expected.Position], w.Buffer[5..(5 + expected.Position)]);
    }

    [Fact]
    public void A_cause_reported_every_poll_is_one_raise_and_keeps_its_acknowledgement()
    {
        var rig = Running();
        rig.Events.Clear();                                            // (LOW_RESERVOIR came and went in Begin)
        rig.C.SetInputs(true, false, false, 0);
        rig.Ok(rig.C.AcknowledgeAlarm(AlarmCode.Stall, 0));            // cause still there: stays latched
        for (int i = 1; i <= 3; i++) rig.C.SetInputs(true, false, false, i * Second);
        rig.Drain();
        Assert.Equal(AlarmCode.Stall, rig.C.AckedAlarms);
        Assert.Single(rig.EventsOf(TherapyEventKind.AlarmRaised));
        rig.C.SetInputs(false, false, false, 4 * Second);              // cause gone, already acknowledged
        rig.Drain();
        Assert.Equal(AlarmCode.None, rig.C.Alarms);
        Assert.Equal(AlarmCode.None, rig.C.AckedAlarms);
        var cleared = Assert.Single(rig.EventsOf(TherapyEventKind.AlarmCleared));
        Assert.Equal((TherapyEventKind.AlarmCleared, 4 * Second, AlarmCode.Stall, 0L, 0L), Fields(cleared));
    }

    [Fact]
    public void Raising_or_clearing_one_alarm_leaves_the_acknowledgements_of_the_others()
    {
        var rig = Running();
        rig.C.SetInputs(true, false, true, 0);                          // STALL and LOW_BATTERY
        rig.Ok(rig.C.AcknowledgeAlarm(AlarmCode.Stall, 0));
        rig.C.SetInputs(true, true, true, Second);                      // OCCLUSION raised
        Assert.Equal(AlarmCode.Stall | AlarmCode.Occlusion | AlarmCode.LowBattery, rig.C.Alarms);
        Assert.Equal(AlarmCode.Stall, rig.C.AckedAlarms);
        rig.C.SetInputs(true, true, false, 2 * Second);                 // LOW_BATTERY cleared
        Assert.Equal(AlarmCode.Stall | AlarmCode.Occlusion, rig.C.Alarms);
        Assert.Equal(AlarmCode.Stall, rig.C.AckedAlarms);
        rig.C.SetInputs(false, true, false, 3 * Second);                // STALL's cause gone: it clears, ack with it
        Assert.Equal(AlarmCode.Occlusion, rig.C.Alarms);
        Assert.Equal(AlarmCode.None, rig.C.AckedAlarms);
        Assert.Equal(TherapyState.Alarm, rig.C.State);                  // OCCLUSION still stops delivery
    }

    [Fact]
    public void Clearing_an_alarm_that_is_not_active_reports_nothing_and_changes_nothing()
    {
        var rig = Running();
        rig.Events.Clear();                                            // (LOW_RESERVOIR came and went in Begin)
        for (int i = 0; i < 3; i++) rig.C.SetInputs(false, false, false, i);   // healthy inputs, every poll
        rig.Ok(rig.C.Refill(1_000_000, 0));                                    // no EMPTY, no LOW_RESERVOIR to clear
        Assert.Empty(rig.EventsOf(TherapyEventKind.AlarmCleared));
        Assert.Empty(rig.EventsOf(TherapyEventKind.AlarmRaised));
        Assert.Empty(rig.EventsOf(TherapyEventKind.StateChanged));
        Assert.Equal(TherapyState.Running, rig.C.State);

        // In ALARM, clearing a non-stopping alarm that is not active must not end the ALARM state either.
        rig.C.SetInputs(false, true, false, Second);
        rig.Drain();
        rig.C.SetInputs(false, true, false, 2 * Second);                       // LOW_BATTERY "cleared" again
        rig.Drain();
        Assert.Equal(TherapyState.Alarm, rig.C.State);
        Assert.Empty(rig.EventsOf(TherapyEventKind.AlarmCleared));
    }
}
