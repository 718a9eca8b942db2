// What the therapy's effects become, beside the main loop in PumpApplication.cs: each event the
// controller queued is drained every service pass into its log record and, for an alarm, an
// !ALARM line; telemetry sends its !TEL line when due. Every event marks the therapy's state dirty,
// so the change is committed with the pass that drained it.
using PumpFirmware.Log;
using PumpFirmware.Protocol;
using PumpFirmware.Therapy;

namespace PumpFirmware.App
{
    public sealed partial class PumpApplication
    {
        private void DrainEvents()
        {
            while (_controller.TryTakeEvent(_event))
            {
                long t = _event.TimelineMicros;
                _dirtyReasons |= PersistReasons.Therapy;
                switch (_event.Kind)
                {
                    case TherapyEventKind.StateChanged:
                        AppendLog(t, EventLogTypes.State, _event.Code, _event.Value1, 0);
                        break;
                    case TherapyEventKind.AlarmRaised:
                        SendAlarmLine(_event.Code, true, t);
                        AppendLog(t, EventLogTypes.Alarm, _event.Code, 1, 0);
                        break;
                    case TherapyEventKind.AlarmCleared:
                        SendAlarmLine(_event.Code, false, t);
                        AppendLog(t, EventLogTypes.Alarm, _event.Code, 0, _event.Value1);
                        break;
                    case TherapyEventKind.BolusStarted:
                        AppendLog(t, EventLogTypes.BolusStart, _event.Code, _event.Value1, _event.Value2);
                        break;
                    case TherapyEventKind.BolusEnded:
                        AppendLog(t, EventLogTypes.BolusEnd, _event.Code, 0, 0);
                        break;
                    case TherapyEventKind.BolusCancelled:
                        AppendLog(t, EventLogTypes.BolusEnd, _event.Code, _event.Value1, 0);
                        break;
                    case TherapyEventKind.PtmGranted:
                        AppendLog(t, EventLogTypes.Ptm, 0, _event.Value1, _event.Value2);
                        break;
                    case TherapyEventKind.PtmRefused:
                        AppendLog(t, EventLogTypes.Ptm, _event.Code == 423 ? 2 : 1, 0, _event.Value1);
                        break;
                    case TherapyEventKind.ProgramCommitted:
                        AppendLog(t, EventLogTypes.Program, _event.Value1 != 0 ? 1 : 0, _event.Code, _programCrcSeen);
                        _programCrcSeen = _event.Code;
                        break;
                    case TherapyEventKind.Refilled:
                        AppendLog(t, EventLogTypes.Refill, 0, _event.Value1, _event.Value2);
                        break;
                    case TherapyEventKind.RefillChecked:
                        AppendLog(t, EventLogTypes.RefillCheck, _event.Code, _event.Value1, _event.Value2);
                        break;
                    case TherapyEventKind.RefillGapSet:
                        AppendLog(t, EventLogTypes.RefillGap, 0, _event.Value1, _event.Value2);
                        break;
                    case TherapyEventKind.CalibrationChanged:
                        AppendLog(t, EventLogTypes.Calibration, 0, _event.Value1, _event.Value2);
                        break;
                    case TherapyEventKind.TimeSet:
                        _resetTimeline.ConfirmWallClock();
                        AppendLog(t, EventLogTypes.Time, 0, _event.Value1, _event.Value2);
                        break;
                    default:
                        // StepsHeldBack: the DOSE_LIMIT alarm records it. Booted: Boot() logs it.
                        break;
                }
            }
        }

        private void SendAlarmLine(int code, bool raised, long timelineMicros)
        {
            _writer.Begin();
            _writer.Append("!ALARM");
            _writer.AppendField("code", AlarmCode.Name(code));
            _writer.AppendField("state", raised ? "RAISED" : "CLEARED");
            _writer.AppendField("t_ms", UptimeMsAt(timelineMicros));
            _writer.Send(false);
        }

        private void SendTelemetry(long now)
        {
            if (!_telemetry.IsDue(now)) return;
            long seq = _telemetry.TakeSeq(now);
            _writer.Begin();
            _writer.Append("!TEL");
            _writer.AppendField("seq", seq);
            _processor.AppendMeasurements(_writer, now, false);
            PressureCommands.AppendPressure(this, _writer);
            _writer.Send(false);
        }
    }
}
