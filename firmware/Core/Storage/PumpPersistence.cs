// Persistence of the pump application: the IPersistenceHook the application calls after every
// change, deciding when to write. A command, an alarm, a state change or a log record is
// committed at once (one journal record), so nothing a user did or was told is lost at a
// power loss. Delivered steps alone are batched: committed once half a microlitre of steps
// is unpersisted, so that at a power loss at most UnpersistedBoundSteps steps (at most 1 µL)
// are lost from the counters; the application charges that bound to the 24 h window at the
// next boot, so the limit holds even for steps that were delivered but never recorded.
using PumpFirmware.App;
using PumpFirmware.Hal;

namespace PumpFirmware.Storage
{
    /// <summary>Journals a <see cref="PumpApplication"/>'s durable state (image + log) on an <see cref="IRecordStore"/>.</summary>
    public sealed class PumpPersistence : IPersistenceHook
    {
        /// <summary>Files used: snapshot A, snapshot B, journal.</summary>
        public const int FirstFileId = 1;

        /// <summary>Journal size before it is compacted into a snapshot, bytes. At a few dozen bytes
        /// per commit this is a snapshot every few hundred commits.</summary>
        public const int JournalCapacityBytes = 16384;

        /// <summary>Steps a pass may issue on top of the commit threshold before the next commit:
        /// the application's largest block.</summary>
        private const int StepsPerPassMax = PumpApplication.StepBlockMax;

        private readonly PumpApplication _app;
        private readonly Journal _journal;
        private readonly DurableState _durable;
        private long _persistedSteps;

        /// <summary>Creates the persistence of <paramref name="app"/> on <paramref name="store"/>.</summary>
        public PumpPersistence(IRecordStore store, PumpApplication app)
        {
            _app = app;
            _journal = new Journal(store, FirstFileId,
                DurableState.SnapshotPayloadBytes(PumpApplication.MaxStateBytes, Log.EventLog.MaxSavedBytes),
                JournalCapacityBytes);
            _durable = new DurableState(_journal, app, app.Log, PumpApplication.MaxStateBytes, Log.EventLog.MaxSavedBytes);
        }

        /// <summary>The journalling layer (counters for diagnostics and benchmarks).</summary>
        public DurableState Durable { get { return _durable; } }

        /// <summary>Lifetime steps recorded by the last commit.</summary>
        public long PersistedSteps { get { return _persistedSteps; } }

        /// <summary>Restores the application's state from the store. Call once, before
        /// <see cref="PumpApplication.Boot"/>; on <see cref="JournalOpenResult.Corrupt"/> the
        /// application is marked so that it boots into CRITICAL with the motor disabled.</summary>
        public JournalOpenResult Restore()
        {
            JournalOpenResult result = _durable.Boot();
            if (result == JournalOpenResult.Corrupt) _app.MarkStoredStateBad();
            _persistedSteps = _app.Controller.TotalSteps;
            return result;
        }

        /// <summary>Steps committed once this many are unpersisted: the steps of one microlitre at
        /// the calibration in force less one pass's block, at least 1.</summary>
        public int CommitThresholdSteps
        {
            get
            {
                long perUl = _app.Controller.StepsPerMl / 1000;
                long threshold = perUl - StepsPerPassMax;
                return threshold < 1 ? 1 : (int)threshold;
            }
        }

        /// <summary>The most steps a power loss can take from the counters: the threshold minus one
        /// plus one pass's block (a commit can be cut on its way to the store). Pass it to
        /// <see cref="PumpApplication.Boot"/> after a restore. At 64000 steps/mL: 60 - 1 + 4 = 63
        /// steps, 0.984 µL; under 1 µL whenever a microlitre is at least 5 steps (5000 steps/mL).
        /// Below that one step is already more than the bound can promise: every step is committed.</summary>
        public int UnpersistedBoundSteps
        {
            get { return CommitThresholdSteps - 1 + StepsPerPassMax; }
        }

        /// <summary>Lifetime steps not yet committed.</summary>
        public long UnpersistedSteps
        {
            get { return _app.Controller.TotalSteps - _persistedSteps; }
        }

        /// <inheritdoc/>
        public void OnStateChanged(PumpApplication app, int reasons)
        {
            if ((reasons & ~PersistReasons.Steps) == 0 && UnpersistedSteps < CommitThresholdSteps)
            {
                return; // steps only, and under the bound: batch them
            }
            Commit();
        }

        /// <summary>Commits now (also at a clean shutdown).</summary>
        public void Commit()
        {
            if (_durable.Commit())
            {
                _persistedSteps = _app.Controller.TotalSteps;
            }
        }
    }
}
