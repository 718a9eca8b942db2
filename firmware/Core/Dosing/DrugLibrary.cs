// The drug library: per drug, the largest concentration and daily dose a program may have, and
// how fast its daily dose may be raised (per change, and the count and total of increases in any
// 7 days). Compiled-in entries ship with the firmware (docs/DRUG-LIBRARY.md gives each value its
// source); a clinician with the PIN adds per-pump entries (LIB:SET), which replace a compiled-in
// entry of the same name whole, and removes them (LIB:CLEAR). Every limit is optional: NotLimited
// (-1) means the source gives no figure, and an unlimited field never refuses anything.
//
// Per-pump entries live in fixed slots persisted as state section 3 (docs/STORAGE.md), written
// with fixed-width fields so the same library always saves the same bytes. Quantities are the
// core's integers: ng for µg (daily_ug is held in ng), ng/mL for µg/mL.
using PumpFirmware.Storage;
using PumpFirmware.Units;

namespace PumpFirmware.Dosing
{
    /// <summary>Drug entries: compiled-in defaults and <see cref="PumpSlots"/> per-pump entries (docs/DRUG-LIBRARY.md).</summary>
    public sealed class DrugLibrary : IStateSection
    {
        /// <summary>A field with this value does not limit anything.</summary>
        public const long NotLimited = -1;

        /// <summary>Per-pump entries kept (LIB:SET of a ninth name is refused).</summary>
        public const int PumpSlots = 8;

        /// <summary>State section tag of the per-pump entries (docs/STORAGE.md).</summary>
        public const int Tag = 3;

        /// <summary>Bytes <see cref="SaveSection"/> writes: version, count, then per slot a used flag, the name (length
        /// and 16 bytes), four longs and an int.</summary>
        public const int SectionLength = 2 + PumpSlots * (1 + 1 + Prescription.MaxDrugNameLength + 4 * 8 + 4);

        /// <summary>Where an entry comes from.</summary>
        public const int SourceNone = 0, SourceDefault = 1, SourcePump = 2;

        private const int SectionVersion = 1;

        // The compiled-in entries (docs/DRUG-LIBRARY.md: each value's source, or why it is not set).
        private static readonly string[] DefaultNames = new string[] { "morphine", "baclofen", "ziconotide" };
        private static readonly long[] DefaultMaxConcNgPerMl = new long[] { 20000000, 2000000, 100000 };
        private static readonly long[] DefaultMaxDailyNg = new long[] { 15000000, NotLimited, 19200 };
        private static readonly long[] DefaultMaxStepNgPerDay = new long[] { NotLimited, NotLimited, 2400 };
        private static readonly int[] DefaultMaxIncreases7d = new int[] { (int)NotLimited, (int)NotLimited, 3 };
        private static readonly long[] DefaultMaxIncrease7dNgPerDay = new long[] { NotLimited, NotLimited, 7200 };

        private readonly bool[] _used = new bool[PumpSlots];
        private readonly string[] _names = new string[PumpSlots];
        private readonly long[] _maxConcNgPerMl = new long[PumpSlots];
        private readonly long[] _maxDailyNg = new long[PumpSlots];
        private readonly long[] _maxStepNgPerDay = new long[PumpSlots];
        private readonly int[] _maxIncreases7d = new int[PumpSlots];
        private readonly long[] _maxIncrease7dNgPerDay = new long[PumpSlots];

        // Bumped by every method that changes what SaveSection writes, so that the journal's pass can step over the
        // section while it has not changed (SaveSkip).
        private int _changes;
        private readonly SaveSkip _saveSkip = new SaveSkip();

        /// <summary>Number of compiled-in entries.</summary>
        public static int DefaultCount { get { return DefaultNames.Length; } }

        /// <summary>Name of compiled-in entry <paramref name="index"/>.</summary>
        public static string DefaultName(int index)
        {
            return DefaultNames[index];
        }

        /// <summary>Per-pump entries in use.</summary>
        public int PumpCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < PumpSlots; i++) if (_used[i]) n++;
                return n;
            }
        }

        /// <summary>True when slot <paramref name="slot"/> holds a per-pump entry.</summary>
        public bool SlotUsed(int slot)
        {
            return _used[slot];
        }

        /// <summary>Drug name of per-pump slot <paramref name="slot"/> (null when unused).</summary>
        public string SlotName(int slot)
        {
            return _used[slot] ? _names[slot] : null;
        }

        /// <summary>Copies the entry in force for <paramref name="drugName"/> into <paramref name="into"/>: a per-pump
        /// entry, else a compiled-in one, else none (<see cref="DrugLimits.Source"/> = <see cref="SourceNone"/>, every
        /// field <see cref="NotLimited"/>). Names match exactly, as drug names do everywhere in the protocol. No allocation.</summary>
        public void Find(string drugName, DrugLimits into)
        {
            int slot = FindSlot(drugName);
            if (slot >= 0)
            {
                into.Set(_names[slot], SourcePump, _maxConcNgPerMl[slot], _maxDailyNg[slot], _maxStepNgPerDay[slot],
                    _maxIncreases7d[slot], _maxIncrease7dNgPerDay[slot]);
                return;
            }
            int d = FindDefault(drugName);
            if (d >= 0)
            {
                FindDefaultAt(d, into);
                return;
            }
            into.Set(drugName, SourceNone, NotLimited, NotLimited, NotLimited, (int)NotLimited, NotLimited);
        }

        /// <summary>Copies compiled-in entry <paramref name="index"/> into <paramref name="into"/> (even when a per-pump
        /// entry replaces it).</summary>
        public static void FindDefaultAt(int index, DrugLimits into)
        {
            into.Set(DefaultNames[index], SourceDefault, DefaultMaxConcNgPerMl[index], DefaultMaxDailyNg[index],
                DefaultMaxStepNgPerDay[index], DefaultMaxIncreases7d[index], DefaultMaxIncrease7dNgPerDay[index]);
        }

        /// <summary>LIB:SET: stores <paramref name="limits"/> as the per-pump entry of its drug, replacing one of the same
        /// name (fields it leaves <see cref="NotLimited"/> do not limit). Checks the name and every range first.</summary>
        /// <returns>null when stored; else the 422 text, and nothing changed.</returns>
        public string Set(DrugLimits limits)
        {
            string error = CheckRanges(limits);
            if (error != null) return error;
            int slot = FindSlot(limits.DrugName);
            if (slot < 0)
            {
                for (int i = 0; i < PumpSlots && slot < 0; i++)
                {
                    if (!_used[i]) slot = i;
                }
                if (slot < 0) return "entries=" + Fixed3.FormatInteger(PumpSlots + 1) + " exceeds max_entries=" + Fixed3.FormatInteger(PumpSlots);
            }
            _changes++;
            _used[slot] = true;
            _names[slot] = limits.DrugName;
            _maxConcNgPerMl[slot] = limits.MaxConcNgPerMl;
            _maxDailyNg[slot] = limits.MaxDailyNg;
            _maxStepNgPerDay[slot] = limits.MaxStepNgPerDay;
            _maxIncreases7d[slot] = limits.MaxIncreases7d;
            _maxIncrease7dNgPerDay[slot] = limits.MaxIncrease7dNgPerDay;
            return null;
        }

        /// <summary>LIB:CLEAR: removes the per-pump entry of <paramref name="drugName"/> (a compiled-in entry of that
        /// name is in force again).</summary>
        /// <returns>false when there was no per-pump entry of that name (nothing changed).</returns>
        public bool Clear(string drugName)
        {
            int slot = FindSlot(drugName);
            if (slot < 0) return false;
            ClearSlot(slot);
            return true;
        }

        /// <summary>The range checks of LIB:SET: null, or the 422 text naming the key and its range.</summary>
        public static string CheckRanges(DrugLimits limits)
        {
            if (!Prescription.IsValidDrugName(limits.DrugName)) return "drug name invalid";
            long conc = limits.MaxConcNgPerMl;
            if (conc != NotLimited && (conc < Prescription.MinConcNgPerMl || conc > Prescription.MaxConcNgPerMl))
            {
                return "max_conc_ug_ml=" + Fixed3.Format(conc) + " out of range 0.001..100000.000";
            }
            long daily = limits.MaxDailyNg;
            if (daily != NotLimited && (daily < 1 || daily > Prescription.MaxDoseNg))
            {
                return "max_ug_day=" + Fixed3.Format(daily) + " out of range 0.001..100000000.000";
            }
            long step = limits.MaxStepNgPerDay;
            if (step != NotLimited && (step < 0 || step > Prescription.MaxDoseNg))
            {
                return "max_step_ug_day=" + Fixed3.Format(step) + " out of range 0.000..100000000.000";
            }
            int count = limits.MaxIncreases7d;
            if (count != NotLimited && (count < 0 || count > DrugLimits.MaxIncreasesPer7d))
            {
                return "max_increases_7d=" + Fixed3.FormatInteger(count) + " out of range 0..100";
            }
            long total = limits.MaxIncrease7dNgPerDay;
            if (total != NotLimited && (total < 0 || total > Prescription.MaxDoseNg))
            {
                return "max_increase_7d_ug_day=" + Fixed3.Format(total) + " out of range 0.000..100000000.000";
            }
            return null;
        }

        // ------------------------------------------------------------------ state section 3

        /// <summary>State section tag (<see cref="Tag"/>).</summary>
        public int SectionTag { get { return Tag; } }

        /// <summary>Bytes <see cref="SaveSection"/> writes (<see cref="SectionLength"/>).</summary>
        public int SectionBytes { get { return SectionLength; } }

        /// <summary>Writes every slot, used or not, with fixed-width fields (<see cref="SectionLength"/> bytes). No allocation.</summary>
        public void SaveSection(StateWriter writer)
        {
            int start = writer.Position;
            if (_saveSkip.TrySkip(writer, _changes)) return;
            writer.WriteByte(SectionVersion);
            writer.WriteByte(PumpSlots);
            for (int i = 0; i < PumpSlots; i++)
            {
                writer.WriteBool(_used[i]);
                string name = _used[i] ? _names[i] : null;
                int length = name == null ? 0 : name.Length;
                writer.WriteByte(length);
                for (int c = 0; c < Prescription.MaxDrugNameLength; c++)
                {
                    writer.WriteByte(c < length ? name[c] : 0);
                }
                writer.WriteLong(_used[i] ? _maxConcNgPerMl[i] : 0);
                writer.WriteLong(_used[i] ? _maxDailyNg[i] : 0);
                writer.WriteLong(_used[i] ? _maxStepNgPerDay[i] : 0);
                writer.WriteInt(_used[i] ? _maxIncreases7d[i] : 0);
                writer.WriteLong(_used[i] ? _maxIncrease7dNgPerDay[i] : 0);
            }
            _saveSkip.Wrote(writer, start, _changes);
        }

        /// <summary>Reads what <see cref="SaveSection"/> wrote, checking every field (name, ranges, no name twice, unused
        /// slots all zero). On failure returns false and leaves the library unchanged. Allocates (boot only).</summary>
        public bool LoadSection(StateReader reader, int length)
        {
            if (length != SectionLength) return false;
            int version = reader.ReadByte();
            int slots = reader.ReadByte();
            bool ok = version == SectionVersion && slots == PumpSlots;
            DrugLibrary loaded = new DrugLibrary();
            DrugLimits limits = new DrugLimits();
            char[] chars = new char[Prescription.MaxDrugNameLength];
            for (int i = 0; i < PumpSlots; i++)
            {
                bool used = reader.ReadBool();
                int nameLength = reader.ReadByte();
                bool zeroTail = true;
                for (int c = 0; c < Prescription.MaxDrugNameLength; c++)
                {
                    int b = reader.ReadByte();
                    if (c < nameLength) chars[c] = (char)b;
                    else if (b != 0) zeroTail = false;
                }
                long conc = reader.ReadLong();
                long daily = reader.ReadLong();
                long step = reader.ReadLong();
                int count = reader.ReadInt();
                long total = reader.ReadLong();
                ok &= zeroTail && nameLength <= Prescription.MaxDrugNameLength;
                if (!used)
                {
                    ok &= nameLength == 0 && conc == 0 && daily == 0 && step == 0 && count == 0 && total == 0;
                    continue;
                }
                if (!ok || nameLength == 0) return false;
                string name = new string(chars, 0, nameLength);
                limits.Set(name, SourcePump, conc, daily, step, count, total);
                ok &= loaded.FindSlot(name) < 0 && CheckRanges(limits) == null;
                if (!ok) return false;
                loaded._used[i] = true;
                loaded._names[i] = name;
                loaded._maxConcNgPerMl[i] = conc;
                loaded._maxDailyNg[i] = daily;
                loaded._maxStepNgPerDay[i] = step;
                loaded._maxIncreases7d[i] = count;
                loaded._maxIncrease7dNgPerDay[i] = total;
            }
            if (!ok || reader.Failed) return false;
            _changes++;
            for (int i = 0; i < PumpSlots; i++)
            {
                _used[i] = loaded._used[i];
                _names[i] = loaded._names[i];
                _maxConcNgPerMl[i] = loaded._maxConcNgPerMl[i];
                _maxDailyNg[i] = loaded._maxDailyNg[i];
                _maxStepNgPerDay[i] = loaded._maxStepNgPerDay[i];
                _maxIncreases7d[i] = loaded._maxIncreases7d[i];
                _maxIncrease7dNgPerDay[i] = loaded._maxIncrease7dNgPerDay[i];
            }
            return true;
        }

        /// <summary>No per-pump entries (a factory start, or an image from firmware without the library): only the
        /// compiled-in entries are in force.</summary>
        public void ClearSection()
        {
            for (int i = 0; i < PumpSlots; i++) ClearSlot(i);
        }

        // ------------------------------------------------------------------ internals

        private void ClearSlot(int slot)
        {
            _changes++;
            _used[slot] = false;
            _names[slot] = null;
            _maxConcNgPerMl[slot] = 0;
            _maxDailyNg[slot] = 0;
            _maxStepNgPerDay[slot] = 0;
            _maxIncreases7d[slot] = 0;
            _maxIncrease7dNgPerDay[slot] = 0;
        }

        private int FindSlot(string drugName)
        {
            if (drugName == null) return -1;
            for (int i = 0; i < PumpSlots; i++)
            {
                if (_used[i] && _names[i] == drugName) return i;
            }
            return -1;
        }

        private static int FindDefault(string drugName)
        {
            if (drugName == null) return -1;
            for (int i = 0; i < DefaultNames.Length; i++)
            {
                if (DefaultNames[i] == drugName) return i;
            }
            return -1;
        }
    }
}
