// Effects as data: what happened inside the controller, for the application to turn into
// !ALARM lines, log records and persistence. The meaning of each event's fields is given here.
namespace PumpFirmware.Therapy
{
    /// <summary>Kinds of <see cref="TherapyEvent"/>. Field use per kind: Code, Value1, Value2.</summary>
    public enum TherapyEventKind
    {
        /// <summary>Nothing (an empty slot).</summary>
        None = 0,

        /// <summary>State changed. Code = new <see cref="TherapyState"/>, Value1 = old state.</summary>
        StateChanged = 1,

        /// <summary>Alarm raised. Code = <see cref="AlarmCode"/> bit.</summary>
        AlarmRaised = 2,

        /// <summary>Alarm cleared. Code = <see cref="AlarmCode"/> bit; for DOSE_LIMIT Value1 = steps held back in the episode.</summary>
        AlarmCleared = 3,

        /// <summary>Bolus started. Code = <see cref="BolusKind"/>; Value1 = dose ng (clinician/PTM) or volume nL (prime/bridge);
        /// Value2 = duration µs (clinician/PTM) or 0.</summary>
        BolusStarted = 4,

        /// <summary>Bolus finished normally. Code = <see cref="BolusKind"/>.</summary>
        BolusEnded = 5,

        /// <summary>Bolus ended early. Code = <see cref="BolusKind"/>; Value1 = reason (<see cref="TherapyEvent.ReasonCancel"/>,
        /// ReasonStop, ReasonAlarm, ReasonCommit, ReasonReset).</summary>
        BolusCancelled = 6,

        /// <summary>PTM granted. Value1 = dose ng, Value2 = next_allowed_s.</summary>
        PtmGranted = 7,

        /// <summary>PTM refused. Code = protocol code (409, 423); Value1 = remaining_s (423 lockout) or 0.</summary>
        PtmRefused = 8,

        /// <summary>Program committed. Code = program CRC; Value1 = 1 if a bridge started, else 0.</summary>
        ProgramCommitted = 9,

        /// <summary>Reservoir refilled. Value1 = new volume nL, Value2 = volume before, nL.</summary>
        Refilled = 10,

        /// <summary>Calibration changed. Value1 = new steps/mL, Value2 = old steps/mL.</summary>
        CalibrationChanged = 11,

        /// <summary>Wall clock set. Value1 = new unix seconds, Value2 = old unix seconds (0 if it was not set).</summary>
        TimeSet = 12,

        /// <summary>A step was held back by the 24 h ceiling (only the first of an episode is reported;
        /// the count is in the DOSE_LIMIT AlarmCleared event). Value1 = window drug fg, Value2 = limit fg.</summary>
        StepsHeldBack = 13,

        /// <summary>Boot completed. Code = state; Value1 = unpersisted steps charged to the window.</summary>
        Booted = 14,

        /// <summary>A refill was checked against a measured residual. Code = 1 if REFILL_GAP was raised by it;
        /// Value1 = expected residual nL (the reservoir before the refill), Value2 = measured residual nL.</summary>
        RefillChecked = 15,

        /// <summary>REFILL:GAP set. Value1 = new threshold nL, Value2 = old threshold nL.</summary>
        RefillGapSet = 16,
    }
}
