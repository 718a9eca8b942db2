// How a stored event record reads on the wire (`!LOG seq=.. t_ms=.. unix_s=.. type=.. ...`).
// The log stores small numbers; this gives them their protocol words and units. The table is
// repeated for users in docs/PROTOCOL-GUIDE.md ("The log").
using PumpFirmware.Hal;
using PumpFirmware.Log;
using PumpFirmware.Therapy;

namespace PumpFirmware.Protocol
{
    /// <summary>Formats event log records.</summary>
    public static class LogFormatter
    {
        /// <summary>Appends <c> t_ms=.. unix_s=.. type=..</c> and the type's fields of record <paramref name="seq"/>.</summary>
        public static void AppendRecord(LineWriter w, EventLog log, long seq)
        {
            int type = log.Type(seq);
            int code = log.Code(seq);
            long a = log.ValueA(seq);
            long b = log.ValueB(seq);
            w.AppendField("t_ms", log.TimeMs(seq));
            w.AppendField("unix_s", log.UnixSeconds(seq));
            w.AppendField("type", EventLogTypes.Name(type));
            switch (type)
            {
                case EventLogTypes.Boot:
                    w.AppendField("reset", Names.Reset((ResetCause)code));
                    w.AppendField("state", Names.State((TherapyState)(int)a));
                    w.AppendField("lost_steps", b);
                    break;
                case EventLogTypes.State:
                    w.AppendField("state", Names.State((TherapyState)code));
                    w.AppendField("from", Names.State((TherapyState)(int)a));
                    break;
                case EventLogTypes.Program:
                    w.AppendKey("crc");
                    w.AppendHex4((int)a);
                    w.AppendKey("previous_crc");
                    if (b < 0) w.Append("NONE");
                    else w.AppendHex4((int)b);
                    w.AppendField("bridge", code != 0 ? "YES" : "NO");
                    break;
                case EventLogTypes.Refill:
                    w.AppendFixed3Field("reservoir_ul", a);
                    w.AppendFixed3Field("previous_ul", b);
                    break;
                case EventLogTypes.RefillCheck:
                    w.AppendFixed3Field("expected_ul", a);
                    w.AppendFixed3Field("measured_ul", b);
                    w.AppendFixed3Field("gap_ul", b - a);
                    w.AppendField("alarm", code != 0 ? "YES" : "NO");
                    break;
                case EventLogTypes.RefillGap:
                    w.AppendFixed3Field("gap_alarm_ul", a);
                    w.AppendFixed3Field("previous_ul", b);
                    break;
                case EventLogTypes.Calibration:
                    if (code == PressureCommands.LogCodeCalibration)
                    {
                        w.AppendField("pressure_zero_mv", a);
                        w.AppendFixed3Field("mv_per_mmhg", b);
                    }
                    else if (code == PressureCommands.LogCodeLimit)
                    {
                        w.AppendFixed3Field("pressure_limit_mmhg", a);
                        w.AppendFixed3Field("previous_mmhg", b);
                    }
                    else
                    {
                        w.AppendField("steps_per_ml", a);
                        w.AppendField("previous", b);
                    }
                    break;
                case EventLogTypes.Time:
                    w.AppendField("set_unix_s", a);
                    w.AppendField("previous_unix_s", b);
                    break;
                case EventLogTypes.Pin:
                    break;
                case EventLogTypes.BolusStart:
                    w.AppendField("kind", Names.Bolus((BolusKind)code));
                    if (code == (int)BolusKind.Prime || code == (int)BolusKind.Bridge)
                    {
                        w.AppendFixed3Field("volume_ul", a);
                    }
                    else
                    {
                        w.AppendFixed3Field("dose_ug", a);
                        w.AppendField("duration_s", b / 1000000);
                    }
                    break;
                case EventLogTypes.BolusEnd:
                    w.AppendField("kind", Names.Bolus((BolusKind)code));
                    w.AppendField("reason", Names.BolusEndReason(a));
                    break;
                case EventLogTypes.Ptm:
                    if (code == 0)
                    {
                        w.AppendField("result", "GRANTED");
                        w.AppendFixed3Field("dose_ug", a);
                        w.AppendField("next_allowed_s", b);
                    }
                    else
                    {
                        w.AppendField("result", "REFUSED");
                        w.AppendField("err", code == 2 ? 423 : 409);
                        w.AppendField("remaining_s", b);
                    }
                    break;
                case EventLogTypes.Alarm:
                    w.AppendField("code", AlarmCode.Name(code));
                    w.AppendField("state", a == 1 ? "RAISED" : (a == 2 ? "ACKED" : "CLEARED"));
                    if (code == AlarmCode.DoseLimit && a == 0) w.AppendField("held_back_steps", b);
                    break;
                case EventLogTypes.TitrationOverride:
                    if (code == TitrationGuard.LimitIncreases)
                    {
                        w.AppendField("limit", "max_increases_7d");
                        w.AppendField("increases_7d", a);
                        w.AppendField("max_increases_7d", b);
                    }
                    else
                    {
                        bool step = code == TitrationGuard.LimitStep;
                        w.AppendField("limit", step ? "max_step_ug_day" : "max_increase_7d_ug_day");
                        w.AppendFixed3Field(step ? "increase_ug_day" : "increase_7d_ug_day", a);
                        w.AppendFixed3Field(step ? "max_step_ug_day" : "max_increase_7d_ug_day", b);
                    }
                    break;
                case EventLogTypes.Library:
                    w.AppendField("action", code == 0 ? "SET" : "CLEAR");
                    w.AppendKey("drug_crc");
                    w.AppendHex4((int)b);
                    w.AppendField("entries", a);
                    break;
                case EventLogTypes.AuthFail:
                    if (code == 0)
                    {
                        w.AppendField("reason", "WRONG_PIN");
                        w.AppendField("attempts_left", a);
                    }
                    else
                    {
                        w.AppendField("reason", "LOCKED");
                        w.AppendField("for_s", a);
                    }
                    break;
                case EventLogTypes.Battery:
                    w.AppendField("event", "REPLACED");
                    w.AppendFixed3Field("used_mah", a);
                    w.AppendField("replacements", b);
                    break;
            }
        }
    }
}
