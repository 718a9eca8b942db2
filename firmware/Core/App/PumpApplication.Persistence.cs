// The application's persistence (docs/STORAGE.md), beside its main loop in PumpApplication.cs:
// the image it saves and loads (layout 3 with the rules' state sections; layouts 1 and 2 still read), when it commits (a request's
// change before its status line; delivered steps within the allowance the durable image names,
// StepAllowance), and what a failed write does (CRITICAL; the request that caused it rolled back,
// RequestRollback, and answered ERR 500 storage).
using PumpFirmware.Hal;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;

namespace PumpFirmware.App
{
    public sealed partial class PumpApplication
    {
        /// <summary>Reads an image written by <see cref="SaveState"/> (the log is loaded separately
        /// into <see cref="Log"/>). Call before <see cref="Boot"/>.</summary>
        /// <returns>false when the image fails its checks: the pump will boot into CRITICAL.
        /// Parts read before the failing one keep what they read, so a journal trying another
        /// copy should use a new PumpApplication.</returns>
        public bool LoadState(StateReader reader)
        {
            int allowance;
            if (!LoadImage(reader, out allowance))
            {
                reader.Fail();
                _storedStateBad = true;
                return false;
            }
            _allowance.Restored(_controller.TotalSteps, allowance, UnaccountedBoundSteps);
            _restored = true;
            return true;
        }

        /// <summary>Adds a rule's part of the image (<see cref="IStateSection"/>). Call while building the
        /// application, before any <see cref="LoadState"/>: the set of sections is fixed from then on.</summary>
        /// <exception cref="System.ArgumentException">The tag is out of 1..250 or taken, the size out of 0..65535, or
        /// <see cref="MaxStateSections"/> are already added (a firmware bug, found by the first test that builds it).</exception>
        public void AddStateSection(IStateSection section)
        {
            int tag = section.SectionTag;
            bool bad = tag < 1 || tag > 250 || section.SectionBytes < 0 || section.SectionBytes > 65535
                || _sectionCount == MaxStateSections;
            for (int i = 0; i < _sectionCount; i++)
            {
                bad |= _sections[i].SectionTag == tag;
            }
            if (bad) throw new System.ArgumentException("state section tag taken, out of range, or too many sections");
            _sections[_sectionCount++] = section;
        }

        // Reads an image of layout 1, 2 or 3 into the timeline, the controller, the PIN and the sections; allowance -1
        // for layout 1.
        private bool LoadImage(StateReader reader, out int allowance)
        {
            allowance = -1;
            int version = reader.ReadInt();
            bool ok;
            if (version == 1)
            {
                ok = _resetTimeline.LoadVersion1(reader);
                _programCrcSeen = reader.ReadInt();
            }
            else
            {
                ok = (version == 2 || version == StateFormatVersion) && _resetTimeline.Load(reader);
                _programCrcSeen = reader.ReadInt();
                allowance = reader.ReadInt();
                ok &= allowance >= 0;
            }
            // The timeline first: a component that loads before a later one fails still holds
            // times on this timeline, which must then not restart at 0.
            ok = ok && !reader.Failed && _controller.Load(reader) && _auth.Load(reader) && !reader.Failed;
            for (int i = 0; i < _sectionCount; i++)
            {
                _sections[i].ClearSection();
            }
            return ok && (version < 3 || LoadSections(reader));
        }

        // Layout 3's sections: each "u8 tag, u16 length, bytes", then tag 0. A tag this firmware does not know, one
        // that comes twice, or a section that reads other than its length fails the image (fail closed: a rule's
        // state, a titration history say, is never dropped silently by older firmware).
        private bool LoadSections(StateReader reader)
        {
            int seen = 0;
            while (true)
            {
                int tag = reader.ReadByte();
                if (reader.Failed) return false;
                if (tag == 0) return true;
                int length = reader.ReadByte() | (reader.ReadByte() << 8);
                int index = -1;
                for (int i = 0; i < _sectionCount; i++)
                {
                    if (_sections[i].SectionTag == tag) index = i;
                }
                if (index < 0 || (seen & (1 << index)) != 0 || reader.Failed) return false;
                seen |= 1 << index;
                int start = reader.Position;
                if (!_sections[index].LoadSection(reader, length) || reader.Failed || reader.Position != start + length)
                {
                    return false;
                }
            }
        }

        /// <summary>Says that no stored state could be read although some was expected (both
        /// copies failed their checks): the pump boots into CRITICAL with the motor disabled.</summary>
        public void MarkStoredStateBad()
        {
            _storedStateBad = true;
        }

        /// <summary>Writes everything that survives a reset except the log: the device timeline and
        /// off-time counter as of the last change (not "now", so that an unchanged state writes the
        /// same bytes), the therapy (program, calibration, counters, reservoir, alarms, PTM history,
        /// 24 h window, wall clock) and the PIN with its lock. At most <see cref="MaxStateBytes"/>.</summary>
        public void SaveState(StateWriter writer)
        {
            int allowance = SaveImage(writer);
            _allowance.ImageWritten(_controller.TotalSteps, allowance);
        }

        // The image (layout 3): timeline, program CRC seen, step allowance, therapy, PIN, sections. Returns the allowance.
        private int SaveImage(StateWriter writer)
        {
            int allowance = StepAllowance.For(_controller, _stepCommitDue);
            writer.WriteInt(StateFormatVersion);
            _resetTimeline.Save(writer);
            writer.WriteInt(_programCrcSeen);
            writer.WriteInt(allowance);
            _controller.Save(writer);
            _auth.Save(writer);
            for (int i = 0; i < _sectionCount; i++)
            {
                IStateSection section = _sections[i];
                int length = section.SectionBytes;
                writer.WriteByte(section.SectionTag);
                writer.WriteByte(length & 0xFF);
                writer.WriteByte(length >> 8);
                int start = writer.Position;
                section.SaveSection(writer);
                // A section that wrote other than it promised would load as a bad image at the next boot: make the
                // image not fit instead, which every test that commits sees at once.
                if (writer.Position != start + length) writer.MarkOverflow();
            }
            writer.WriteByte(0);
            return allowance;
        }

        /// <summary>Makes the request's change durable before its status line is sent (StatusReply calls this).</summary>
        /// <returns>false when the change could not be stored: the request was rolled back (it changed nothing),
        /// CRITICAL is raised, and the status line must be <c>ERR 500 storage</c>.</returns>
        internal bool FlushPersistence()
        {
            // Nothing of the request's own to store (it asked, but its image and log are as before it): pending
            // changes go with the next service pass, and the request's answer stands even while storage fails.
            if (_inRequest && (!_requestChanged || !RequestChangedImage())) return true;
            return Flush(NowMicros, _inRequest);
        }

        private bool RequestChangedImage()
        {
            if (_rollback.Length < 0 || _log.NextSeq != _rollback.LogNextSeq) return true;
            StateWriter writer = new StateWriter(_rollback.Image);
            writer.BeginCompare(_rollback.Length);
            SaveImage(writer);
            return writer.EndCompare();
        }

        // Records the change instant and commits what is pending; steps alone wait within the allowance.
        private bool Flush(long now, bool request)
        {
            if (_dirtyReasons != 0)
            {
                // The timeline as of this change is what the next image records (see SaveState).
                _resetTimeline.RecordChange(NowMicros, _hw.OffTimeClock);
            }
            if (_persistence == null)
            {
                _dirtyReasons = 0;
                return true;
            }
            if (_dirtyReasons == 0 || (_dirtyReasons & ~PersistReasons.Steps) == 0) return true;
            if (!request && _storageFailed && now < _storageRetryMicros) return false;
            return Commit(now, request);
        }

        private bool Commit(long now, bool request)
        {
            int reasons = _dirtyReasons;
            bool ok;
            try
            {
                ok = _persistence.OnStateChanged(this, reasons);
            }
            catch (System.Exception)
            {
                ok = false; // a hook must not throw; if one does, it is a failed write like any other
            }
            if (ok)
            {
                _allowance.Committed();
                _dirtyReasons = 0;
                _storageFailed = false;
                return true;
            }
            // PROTOCOL.md, storage failure: CRITICAL (the motor is disabled), every request still answered, and
            // the request whose change could not be stored is rolled back. What is pending stays pending and is
            // tried again (a request at once, the service pass at most once a second).
            _storageFailed = true;
            _storageRetryMicros = now + StorageRetryMicros;
            if (request) RollBack(now);
            _controller.RaiseCritical(now);
            return false;
        }

        // Before a request that may change persisted state (every request but a query ending in '?' and the virtual
        // device's SIM: commands, which drive time and power themselves): keep the state it may change.
        private void BeginRequest(char[] line, int length)
        {
            _inRequest = true;
            _requestChanged = false;
            _rollback.Length = -1;
            if (_persistence == null || _rollback.Image == null || IsQueryOrSim(line, length)) return;
            StateWriter writer = new StateWriter(_rollback.Image);
            SaveImage(writer);
            if (writer.Overflow) return;
            _rollback.Length = writer.Position;
            _rollback.LogNextSeq = _log.NextSeq;
            _rollback.DirtyReasons = _dirtyReasons;
            _rollback.Authorized = _auth.IsAuthorized;
        }

        private void EndRequest()
        {
            _inRequest = false;
            _requestChanged = false;
            _rollback.Length = -1;
        }

        private void RollBack(long now)
        {
            if (_rollback.Length < 0) return;
            StateReader reader = new StateReader(_rollback.Image, 0, _rollback.Length);
            int allowance;
            if (!LoadImage(reader, out allowance)) return; // cannot happen: the image was written by SaveImage
            _auth.RestoreSession(_rollback.Authorized);
            _log.TruncateTo(_rollback.LogNextSeq);
            _controller.ResumeAfterRollback(now);
            _dirtyReasons = _rollback.DirtyReasons;
            _rollback.Length = -1;
        }

        private static bool IsQueryOrSim(char[] line, int length)
        {
            int start = 0;
            while (start < length && (line[start] == ' ' || line[start] == '\t')) start++;
            int end = start;
            while (end < length && line[end] != ' ' && line[end] != '\t' && line[end] != '*') end++;
            if (end > start && line[end - 1] == '?') return true;
            return end - start >= 4 && (line[start] == 'S' || line[start] == 's') && (line[start + 1] == 'I' || line[start + 1] == 'i')
                && (line[start + 2] == 'M' || line[start + 2] == 'm') && line[start + 3] == ':';
        }

        // Advances the therapy, counting no step beyond the allowance of the last durable image: when it is used up
        // and a step is due, the counted steps are committed first (with a new allowance), so a power loss can never
        // take more than the allowance from the counters, whatever it cuts. A commit that fails stops counting
        // (CRITICAL is raised and stops delivery).
        private int AdvanceWithinAllowance(long now)
        {
            if (_persistence == null) return _controller.Advance(now);
            int total = 0;
            for (int guard = 0; guard < 1000000; guard++)
            {
                long room = _allowance.Room(_controller.TotalSteps);
                if (room < 0) room = 0;
                total += _controller.Advance(now, room > int.MaxValue ? int.MaxValue : (int)room);
                // Advance stops before a step beyond the room, and only then is a wake still due now.
                if (_controller.NextWakeMicros > now) break;
                if (_storageFailed && now < _storageRetryMicros) break;
                _stepCommitDue = true;
                _dirtyReasons |= PersistReasons.Steps;
                _resetTimeline.RecordChange(now, _hw.OffTimeClock);
                bool ok = Commit(now, false);
                _stepCommitDue = false;
                if (!ok) break;
            }
            return total;
        }
    }
}
