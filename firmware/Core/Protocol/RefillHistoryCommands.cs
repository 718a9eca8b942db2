// The refill check and the daily history on the wire (issue 17): REFILL with its optional measured
// residual, REFILL? (the refill history), REFILL:GAP (the REFILL_GAP threshold) and HIST? (drug per
// day). Split from CommandProcessor like ProgramCommands; the processor has checked the CRC, found the
// command and checked auth before it calls here. Multi-line replies have HELP's and LOG?'s shape:
// one `!` line per item, then the status line with the count.
using PumpFirmware.App;
using PumpFirmware.Therapy;

namespace PumpFirmware.Protocol
{
    /// <summary>Handlers of REFILL, REFILL?, REFILL:GAP and HIST?; each sends exactly one status line.</summary>
    internal sealed class RefillHistoryCommands
    {
        private readonly PumpApplication _app;
        private readonly RequestLine _request;
        private readonly StatusReply _reply;
        private readonly CommandArguments _args;

        /// <summary>Creates the handlers over the processor's request, reply and argument readers.</summary>
        public RefillHistoryCommands(PumpApplication app, RequestLine request, StatusReply reply, CommandArguments args)
        {
            _app = app;
            _request = request;
            _reply = reply;
            _args = args;
        }

        /// <summary><c>REFILL &lt;volume_ul&gt; [&lt;residual_ul&gt;]</c>: without the residual exactly as before (<c>OK</c>);
        /// with it, <c>OK expected_ul=.. measured_ul=.. gap_ul=..</c> (gap = measured - expected).</summary>
        public void Refill(long now)
        {
            int count = _request.ArgumentCount;
            if ((count != 1 && count != 2) || _request.TooManyWords)
            {
                _args.WrongCount();
                return;
            }
            long volume;
            if (!_args.Number(1, "volume_ul", out volume)) return;
            long residual = RefillCheck.NotMeasured;
            if (count == 2 && !_args.Number(2, "residual_ul", out residual)) return;
            TherapyController c = _app.Controller;
            long expected = c.ReservoirNl;
            TherapyResult result = c.Refill(volume, residual, now);
            if (!result.IsOk)
            {
                _reply.SendError(result.Code, result.Detail);
                return;
            }
            _app.MarkDirty(PersistReasons.Command);
            _reply.Ok();
            if (count == 2)
            {
                _reply.Line.AppendFixed3Field("expected_ul", expected);
                _reply.Line.AppendFixed3Field("measured_ul", residual);
                _reply.Line.AppendFixed3Field("gap_ul", residual - expected);
            }
            _reply.Send();
        }

        /// <summary><c>REFILL?</c>: one <c>!REFILL</c> line per kept refill, oldest first, then
        /// <c>OK count=N gap_alarm_ul=..</c>.</summary>
        public void Query()
        {
            if (!_args.Expect(0)) return;
            RefillCheck refills = _app.Controller.Refills;
            LineWriter w = _app.Writer;
            int n = refills.Count;
            for (int i = 0; i < n; i++)
            {
                w.Begin();
                w.Append("!REFILL");
                w.AppendField("n", refills.Number(i));
                w.AppendField("unix_s", refills.UnixSeconds(i));
                w.AppendFixed3Field("volume_ul", refills.VolumeNl(i));
                w.AppendFixed3Field("expected_ul", refills.ExpectedNl(i));
                long measured = refills.MeasuredNl(i);
                if (measured < 0)
                {
                    w.AppendField("measured_ul", "NONE");
                    w.AppendField("gap_ul", "NONE");
                }
                else
                {
                    w.AppendFixed3Field("measured_ul", measured);
                    w.AppendFixed3Field("gap_ul", measured - refills.ExpectedNl(i));
                }
                w.AppendField("alarm", refills.RaisedAlarm(i) ? "YES" : "NO");
                w.Send(_reply.WithCrc);
            }
            _reply.Ok();
            _reply.Line.AppendField("count", n);
            _reply.Line.AppendFixed3Field("gap_alarm_ul", refills.GapAlarmNl);
            _reply.Send();
        }

        /// <summary><c>REFILL:GAP &lt;gap_ul&gt;</c> (auth): the REFILL_GAP threshold, 0 to 1000000 µL.</summary>
        public void SetGap(long now)
        {
            if (!_args.Expect(1)) return;
            long gap;
            if (!_args.Number(1, "gap_ul", out gap)) return;
            TherapyResult result = _app.Controller.SetRefillGapAlarm(gap, now);
            if (!result.IsOk)
            {
                _reply.SendError(result.Code, result.Detail);
                return;
            }
            _app.MarkDirty(PersistReasons.Command);
            _reply.SendOk();
        }

        /// <summary><c>HIST? &lt;days&gt;</c> (0..31): the last days, oldest first, one <c>!HIST</c> line each (days
        /// without delivery up to today included, with zeros), then <c>OK count=N</c>.</summary>
        public void History(long now)
        {
            if (!_args.Expect(1)) return;
            long days;
            if (!_args.Count(1, "days", out days)) return;
            if (days > DailyHistory.Days)
            {
                _args.OutOfRange("days", days, "0..31");
                return;
            }
            DailyHistory h = _app.Controller.History;
            long firstEmpty;
            bool emptyWall;
            int stored = h.Count;
            int empty = h.DaysAfterNewest(now, out firstEmpty, out emptyWall);
            int total = stored + empty;
            int from = total - (int)days;
            if (from < 0) from = 0;
            LineWriter w = _app.Writer;
            for (int j = from; j < total; j++)
            {
                w.Begin();
                w.Append("!HIST");
                w.AppendKey("date");
                if (j < stored)
                {
                    AppendDay(w, h.Day(j), h.IsWallClockDay(j));
                    long sum = 0;
                    for (int k = 0; k < DailyHistory.Kinds; k++)
                    {
                        long ng = h.Nanograms(j, k);
                        w.AppendFixed3Field(KindKey(k), ng);
                        sum += ng;
                    }
                    w.AppendFixed3Field("total_ug", sum);
                }
                else
                {
                    AppendDay(w, firstEmpty + (j - stored), emptyWall);
                    for (int k = 0; k < DailyHistory.Kinds; k++) w.AppendFixed3Field(KindKey(k), 0);
                    w.AppendFixed3Field("total_ug", 0);
                }
                w.Send(_reply.WithCrc);
            }
            _reply.Ok();
            _reply.Line.AppendField("count", total - from);
            _reply.Send();
        }

        /// <summary>The field name of a kind of delivery in <c>!HIST</c> lines.</summary>
        public static string KindKey(int kind)
        {
            switch (kind)
            {
                case DailyHistory.Basal: return "basal_ug";
                case DailyHistory.Ptm: return "ptm_ug";
                case DailyHistory.Clinician: return "clinician_ug";
                case DailyHistory.Bridge: return "bridge_ug";
                case DailyHistory.Prime: return "prime_ug";
                default: return "minrate_ug";
            }
        }

        // A wall-clock day as YYYY-MM-DD (UTC), a timeline day as T+<n> (days since the first start).
        private static void AppendDay(LineWriter w, long day, bool wall)
        {
            if (!wall)
            {
                w.Append("T+");
                w.AppendInteger(day);
                return;
            }
            int year, month, dayOfMonth;
            CivilDate(day, out year, out month, out dayOfMonth);
            w.AppendInteger(year);
            w.Append('-');
            AppendTwoDigits(w, month);
            w.Append('-');
            AppendTwoDigits(w, dayOfMonth);
        }

        private static void AppendTwoDigits(LineWriter w, int value)
        {
            w.Append((char)('0' + value / 10));
            w.Append((char)('0' + value % 10));
        }

        /// <summary>The proleptic Gregorian date of a day counted from 1970-01-01 (day 0), 0 or later; integer only
        /// (H. Hinnant's civil_from_days, "chrono-Compatible Low-Level Date Algorithms").</summary>
        public static void CivilDate(long daysSinceEpoch, out int year, out int month, out int day)
        {
            long z = daysSinceEpoch + 719468;
            long era = z / 146097;
            long doe = z - era * 146097;
            long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
            long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            long mp = (5 * doy + 2) / 153;
            day = (int)(doy - (153 * mp + 2) / 5 + 1);
            month = (int)(mp < 10 ? mp + 3 : mp - 9);
            year = (int)(yoe + era * 400 + (month <= 2 ? 1 : 0));
        }
    }
}
