// The therapy's state image (docs/STORAGE.md): what survives a reset, and the check that an image was
// written by Save before Load takes it. Part of TherapyController.
using PumpFirmware.Dosing;
using PumpFirmware.Storage;

namespace PumpFirmware.Therapy
{
    public sealed partial class TherapyController
    {
        // The two programs change only here (a commit, a load, a bridge's end), a few times a year, yet make a third of
        // the image outside the 24 h window: a storage journal's diff pass that continues the one that last wrote them
        // (same writer, next pass, same position, no change since) steps over their bytes, as the window does.
        private int _programsVersion;
        private readonly SaveSkip _programsSkip = new SaveSkip();

        /// <summary>Writes everything PROTOCOL.md says survives a reset: state, program, a bridge and its old program,
        /// calibration, counters, reservoir, alarms (with acknowledgements and latched causes), DOSE_LIMIT timer, PTM
        /// history, 24 h window and wall-clock offset. About 12 KB (the window is 1441 x 8 bytes).</summary>
        public void Save(StateWriter writer)
        {
            writer.WriteByte(StateVersion);
            writer.WriteByte((int)_state);
            writer.WriteByte((int)_stateBeforeAlarm);
            writer.WriteByte((int)_bolus);
            writer.WriteBool(_hasProgram);
            SavePrograms(writer);
            writer.WriteLong(_bridgeRemainingNl);
            writer.WriteLong(_stepsPerMl);
            writer.WriteInt(_alarms);
            writer.WriteInt(_ackedAlarms);
            writer.WriteBool(_stallCause);
            writer.WriteBool(_occlusionCause);
            writer.WriteBool(_lowBatteryCause);
            writer.WriteLong(_held.SavedLastMicros);
            writer.WriteLong(_held.InEpisode);
            writer.WriteLong(_held.Total);
            writer.WriteLong(_totalSteps);
            writer.WriteLong(_deliveredNl);
            writer.WriteLong(_volumeRemainder);
            writer.WriteLong(_reservoirNl);
            writer.WriteBool(_clock.IsSet);
            writer.WriteLong(_clock.OffsetMicros);
            writer.WriteLong(_lastNowMicros);
            _ptm.Save(writer);
            _window.Save(writer);
        }

        private void SavePrograms(StateWriter writer)
        {
            if (_programsSkip.TrySkip(writer, _programsVersion)) return;
            int start = writer.Position;
            _program.Save(writer);
            _oldProgram.Save(writer);
            _programsSkip.Wrote(writer, start, _programsVersion);
        }

        /// <summary>Reads what <see cref="Save"/> wrote, checking every field. On any failed check returns false and
        /// leaves the controller unchanged (the application then raises CRITICAL). Call <see cref="Boot(long, int)"/>
        /// afterwards. Allocates (boot only).</summary>
        public bool Load(StateReader reader)
        {
            int version = reader.ReadByte();
            int state = reader.ReadByte();
            int before = reader.ReadByte();
            int bolus = reader.ReadByte();
            bool hasProgram = reader.ReadBool();
            Prescription program = new Prescription();
            Prescription oldProgram = new Prescription();
            bool ok = program.Load(reader) & oldProgram.Load(reader);
            long bridgeRemaining = reader.ReadLong();
            long stepsPerMl = reader.ReadLong();
            int alarms = reader.ReadInt();
            int acked = reader.ReadInt();
            bool stallCause = reader.ReadBool();
            bool occlusionCause = reader.ReadBool();
            bool lowBatteryCause = reader.ReadBool();
            long lastHeld = reader.ReadLong();
            long heldInEpisode = reader.ReadLong();
            long heldTotal = reader.ReadLong();
            long totalSteps = reader.ReadLong();
            long deliveredNl = reader.ReadLong();
            long remainder = reader.ReadLong();
            long reservoir = reader.ReadLong();
            bool wallSet = reader.ReadBool();
            long wallOffset = reader.ReadLong();
            long lastNow = reader.ReadLong();
            PtmHistory ptm = new PtmHistory();
            DoseWindow window = new DoseWindow();
            ok &= ptm.Load(reader) & window.Load(reader);

            // Before an alarm the pump was STOPPED or SUSPENDED (RaiseAlarm records no other), and fields that only
            // mean something in one state are zero outside it: a record that says otherwise was not written by Save.
            ok &= version == StateVersion && state <= 3 && bolus <= 4;
            ok &= before == (int)TherapyState.Stopped || before == (int)TherapyState.Suspended;
            ok &= bolus == (int)BolusKind.Bridge || bridgeRemaining == 0;
            ok &= wallSet || wallOffset == 0;
            ok &= stepsPerMl >= 1 && stepsPerMl <= MaxStepsPerMl && remainder >= 0 && remainder < stepsPerMl;
            ok &= (alarms & ~AlarmCode.AllMask) == 0 && (acked & ~alarms) == 0;
            ok &= totalSteps >= 0 && deliveredNl >= 0 && reservoir >= 0 && heldInEpisode >= 0 && heldTotal >= 0;
            ok &= !hasProgram || program.IsComplete;
            ok &= hasProgram || (state != (int)TherapyState.Running && state != (int)TherapyState.Suspended && bolus == 0);
            ok &= bolus != (int)BolusKind.Bridge || (oldProgram.IsComplete && bridgeRemaining > 0);
            ok &= (state == (int)TherapyState.Alarm) == ((alarms & AlarmCode.StoppingMask) != 0);
            if (!ok || reader.Failed)
            {
                reader.Fail();
                return false;
            }
            _state = (TherapyState)state;
            _stateBeforeAlarm = (TherapyState)before;
            _bolus = (BolusKind)bolus;
            _hasProgram = hasProgram;
            _program.CopyFrom(program);
            _oldProgram.CopyFrom(oldProgram);
            _programsVersion++;
            _programCrc = hasProgram ? _program.ComputeCrc(_scratch) : -1;
            _bridgeRemainingNl = bridgeRemaining;
            _stepsPerMl = stepsPerMl;
            _alarms = alarms;
            _ackedAlarms = acked;
            _stallCause = stallCause;
            _occlusionCause = occlusionCause;
            _lowBatteryCause = lowBatteryCause;
            _held.Restore(lastHeld, heldInEpisode, heldTotal);
            _totalSteps = totalSteps;
            _deliveredNl = deliveredNl;
            _volumeRemainder = remainder;
            _reservoirNl = reservoir;
            _clock.Restore(wallSet, wallOffset);
            _lastNowMicros = lastNow;
            _ptm.Clear();
            for (int i = ptm.Count - 1; i >= 0; i--) _ptm.Add(ptm.StartAt(i));
            StateWriter copy = new StateWriter(new byte[DoseWindow.Slots * 8 + 16]);
            window.Save(copy);
            _window.Load(new StateReader(copy.Buffer, 0, copy.Position));
            return true;
        }
    }
}
