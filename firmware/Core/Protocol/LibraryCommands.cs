// The drug library's commands (PROTOCOL.md "Drug library and titration guard", docs/DRUG-LIBRARY.md):
// LIB? lists the entries in force or shows one with its titration in the last 7 days; LIB:SET and
// LIB:CLEAR (session) add, replace and remove per-pump entries, each logged (LIBRARY). Arguments
// are key=value words, the keys named with their units like every field of the protocol.
using PumpFirmware.App;
using PumpFirmware.Dosing;
using PumpFirmware.Log;
using PumpFirmware.Therapy;
using PumpFirmware.Units;

namespace PumpFirmware.Protocol
{
    /// <summary>Handlers of LIB?, LIB:SET and LIB:CLEAR; each sends exactly one status line.</summary>
    internal sealed class LibraryCommands
    {
        private static readonly string[] Keys = new string[]
        {
            "drug", "max_conc_ug_ml", "max_ug_day", "max_step_ug_day", "max_increases_7d", "max_increase_7d_ug_day",
        };

        private readonly PumpApplication _app;
        private readonly RequestLine _request;
        private readonly StatusReply _reply;
        private readonly CommandArguments _args;
        private readonly DrugLimits _limits = new DrugLimits();

        /// <summary>Creates the handlers over the processor's request, reply and argument readers.</summary>
        public LibraryCommands(PumpApplication app, RequestLine request, StatusReply reply, CommandArguments args)
        {
            _app = app;
            _request = request;
            _reply = reply;
            _args = args;
        }

        /// <summary>LIB? [&lt;drug&gt;].</summary>
        public void Query(long nowMicros)
        {
            if (_request.ArgumentCount > 1 || _request.TooManyWords)
            {
                _args.WrongCount();
                return;
            }
            DrugLibrary library = _app.Titration.Library;
            if (_request.ArgumentCount == 1)
            {
                if (!_request.IsDrugName(1))
                {
                    _reply.SendError(400, "malformed name ([A-Za-z0-9_-]{1,16})");
                    return;
                }
                string name = _request.WordString(1);
                library.Find(name, _limits);
                _reply.Ok();
                AppendEntry(_reply.Line, _limits);
                int increases;
                long sum;
                _app.Titration.History.IncreasesIn7Days(TitrationHistory.DrugKey(name), nowMicros, out increases, out sum);
                _reply.Line.AppendField("increases_7d", increases);
                _reply.Line.AppendFixed3Field("increase_7d_ug_day", sum);
                _reply.Send();
                return;
            }
            // The entries in force: compiled-in ones a per-pump entry does not replace, then the per-pump ones.
            LineWriter w = _app.Writer;
            int count = 0;
            for (int i = 0; i < DrugLibrary.DefaultCount; i++)
            {
                library.Find(DrugLibrary.DefaultName(i), _limits);
                if (_limits.Source != DrugLibrary.SourceDefault) continue;
                SendListLine(w, _limits);
                count++;
            }
            for (int slot = 0; slot < DrugLibrary.PumpSlots; slot++)
            {
                if (!library.SlotUsed(slot)) continue;
                library.Find(library.SlotName(slot), _limits);
                SendListLine(w, _limits);
                count++;
            }
            _reply.Ok();
            _reply.Line.AppendField("count", count);
            _reply.Send();
        }

        /// <summary>LIB:SET drug=&lt;name&gt; [key=value|NONE ...]: the whole per-pump entry (a key left out is not limited).</summary>
        public void Set(long nowMicros)
        {
            int args = _request.ArgumentCount;
            if (args < 1 || args > Keys.Length || _request.TooManyWords)
            {
                _args.WrongCount();
                return;
            }
            string name = null;
            long conc = DrugLibrary.NotLimited, daily = DrugLibrary.NotLimited, step = DrugLibrary.NotLimited;
            long count = DrugLibrary.NotLimited, total = DrugLibrary.NotLimited;
            int seen = 0;
            for (int i = 1; i <= args; i++)
            {
                string word = _request.WordString(i);
                int eq = word.IndexOf('=');
                int key = eq > 0 ? KeyIndex(word, eq) : -1;
                if (key < 0)
                {
                    _reply.SendError(400, "malformed argument: " + word + " (drug=, max_conc_ug_ml=, max_ug_day=, max_step_ug_day=, max_increases_7d=, max_increase_7d_ug_day=)");
                    return;
                }
                if ((seen & (1 << key)) != 0)
                {
                    _reply.SendError(400, "malformed argument: " + Keys[key] + " given twice");
                    return;
                }
                seen |= 1 << key;
                int start = eq + 1;
                int length = word.Length - start;
                if (key == 0)
                {
                    string drug = word.Substring(start);
                    if (!Prescription.IsValidDrugName(drug))
                    {
                        _reply.SendError(400, "malformed name ([A-Za-z0-9_-]{1,16})");
                        return;
                    }
                    name = drug;
                    continue;
                }
                long value;
                if (length == 4 && IsNone(word, start))
                {
                    value = DrugLibrary.NotLimited;
                }
                else if (key == 4)
                {
                    ParseStatus status = Fixed3.TryParseInteger(word, start, length, long.MaxValue, out value);
                    if (status == ParseStatus.Malformed)
                    {
                        _reply.SendError(400, "malformed count: " + Keys[key] + " (digits only, or NONE)");
                        return;
                    }
                    if (status != ParseStatus.Ok || value > DrugLimits.MaxIncreasesPer7d)
                    {
                        _args.OutOfRange(Keys[key], status == ParseStatus.Ok ? value : long.MaxValue, "0..100");
                        return;
                    }
                }
                else
                {
                    ParseStatus status = Fixed3.TryParse(word, start, length, long.MaxValue, out value);
                    if (status == ParseStatus.Malformed)
                    {
                        _reply.SendError(400, "malformed number: " + Keys[key] + " (or NONE)");
                        return;
                    }
                    if (status != ParseStatus.Ok) value = long.MaxValue;
                }
                if (key == 1) conc = value;
                else if (key == 2) daily = value;
                else if (key == 3) step = value;
                else if (key == 4) count = value;
                else total = value;
            }
            if (name == null)
            {
                _reply.SendError(400, "malformed argument: drug=<name> is required");
                return;
            }
            _limits.Set(name, DrugLibrary.SourcePump, conc, daily, step, (int)count, total);
            string error = _app.Titration.Library.Set(_limits);
            if (error != null)
            {
                _reply.SendError(422, error);
                return;
            }
            _app.AppendLog(nowMicros, EventLogTypes.Library, 0, _app.Titration.Library.PumpCount, Crc16.Compute(name));
            _app.MarkDirty(PersistReasons.Command);
            _reply.SendOk();
        }

        /// <summary>LIB:CLEAR &lt;drug&gt;: removes its per-pump entry (409 when it has none).</summary>
        public void Clear(long nowMicros)
        {
            if (!_args.Expect(1)) return;
            if (!_request.IsDrugName(1))
            {
                _reply.SendError(400, "malformed name ([A-Za-z0-9_-]{1,16})");
                return;
            }
            string name = _request.WordString(1);
            if (!_app.Titration.Library.Clear(name))
            {
                _reply.SendError(409, "no per-pump entry for " + name);
                return;
            }
            _app.AppendLog(nowMicros, EventLogTypes.Library, 1, _app.Titration.Library.PumpCount, Crc16.Compute(name));
            _app.MarkDirty(PersistReasons.Command);
            _reply.SendOk();
        }

        private void SendListLine(LineWriter w, DrugLimits limits)
        {
            w.Begin();
            w.Append("!LIB");
            AppendEntry(w, limits);
            w.Send(_reply.WithCrc);
        }

        /// <summary>Appends <c> drug=.. source=.. max_conc_ug_ml=.. max_ug_day=.. max_step_ug_day=.. max_increases_7d=..
        /// max_increase_7d_ug_day=.. drug_crc=HHHH</c> (NONE for a field that does not limit).</summary>
        internal static void AppendEntry(LineWriter w, DrugLimits limits)
        {
            w.AppendField("drug", limits.DrugName);
            w.AppendField("source", limits.Source == DrugLibrary.SourcePump ? "PUMP" : (limits.Source == DrugLibrary.SourceDefault ? "DEFAULT" : "NONE"));
            if (limits.Source == DrugLibrary.SourceNone) return;
            AppendLimit(w, Keys[1], limits.MaxConcNgPerMl, true);
            AppendLimit(w, Keys[2], limits.MaxDailyNg, true);
            AppendLimit(w, Keys[3], limits.MaxStepNgPerDay, true);
            AppendLimit(w, Keys[4], limits.MaxIncreases7d, false);
            AppendLimit(w, Keys[5], limits.MaxIncrease7dNgPerDay, true);
            w.AppendKey("drug_crc");
            w.AppendHex4(Crc16.Compute(limits.DrugName));
        }

        private static void AppendLimit(LineWriter w, string key, long value, bool fixed3)
        {
            if (value == DrugLibrary.NotLimited) w.AppendField(key, "NONE");
            else if (fixed3) w.AppendFixed3Field(key, value);
            else w.AppendField(key, value);
        }

        private static bool IsNone(string word, int start)
        {
            const string None = "NONE";
            for (int c = 0; c < 4; c++)
            {
                char ch = word[start + c];
                if (ch >= 'a' && ch <= 'z') ch = (char)(ch - 32);
                if (ch != None[c]) return false;
            }
            return true;
        }

        private static int KeyIndex(string word, int eq)
        {
            for (int k = 0; k < Keys.Length; k++)
            {
                string key = Keys[k];
                if (key.Length != eq) continue;
                bool same = true;
                for (int c = 0; c < eq && same; c++)
                {
                    char ch = word[c];
                    if (ch >= 'A' && ch <= 'Z') ch = (char)(ch + 32);
                    same = ch == key[c];
                }
                if (same) return k;
            }
            return -1;
        }
    }
}
