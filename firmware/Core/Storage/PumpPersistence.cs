// Persistence of the pump application: the IPersistenceHook the application calls when its
// state must be durable. A command, an alarm, a state change or a log record is committed at
// once (one journal record), so nothing a user did or was told is lost at a power loss.
// Delivered steps are batched by the application within the allowance its last durable image
// names (StepAllowance: at most 1 µL, or one step where a step is larger; 0 while the motor is
// not running), so at a power loss at most that many steps are lost from the counters, and the
// next boot charges that many (not more) to the 24 h window. A write that fails is reported,
// never thrown: the application raises CRITICAL.
using PumpFirmware.App;
using PumpFirmware.Hal;

namespace PumpFirmware.Storage
{
    /// <summary>Journals a <see cref="PumpApplication"/>'s durable state (image + log) on an <see cref="IRecordStore"/>:
    /// files 1 to 3 (snapshots and journal) and the log's segment files 4 to 23.</summary>
    public sealed class PumpPersistence : IPersistenceHook
    {
        /// <summary>Files used: snapshot A, snapshot B, journal.</summary>
        public const int FirstFileId = 1;

        /// <summary>The first of the event log's segment files (<see cref="LogSegments"/>; 20 of them, ids 4 to 23).</summary>
        public const int FirstLogFileId = 4;

        /// <summary>The largest log segment file, bytes: one block of the ESP32's littlefs partition, so writing one
        /// erases one block (119 records).</summary>
        public const int LogSegmentBytes = 4096;

        /// <summary>Journal size before it is compacted into a snapshot, bytes. At a few dozen bytes
        /// per commit this is a snapshot every few hundred commits.</summary>
        public const int JournalCapacityBytes = 16384;

        private readonly PumpApplication _app;
        private readonly Journal _journal;
        private readonly DurableState _durable;

        /// <summary>Creates the persistence of <paramref name="app"/> on <paramref name="store"/>.</summary>
        public PumpPersistence(IRecordStore store, PumpApplication app)
        {
            _app = app;
            LogSegments segments = new LogSegments(store, FirstLogFileId, Log.EventLog.RecordBytes, Log.EventLog.Capacity,
                LogSegmentBytes);
            _journal = new Journal(store, FirstFileId,
                DurableState.SnapshotPayloadBytes(PumpApplication.MaxStateBytes, segments.MaxReferenceBytes),
                JournalCapacityBytes,
                DurableState.LegacySnapshotPayloadBytes(PumpApplication.MaxStateBytes, Log.EventLog.MaxSavedBytes));
            _durable = new DurableState(_journal, segments, app, app.Log, PumpApplication.MaxStateBytes);
        }

        /// <summary>The journalling layer (counters for diagnostics and benchmarks).</summary>
        public DurableState Durable { get { return _durable; } }

        /// <summary>Lifetime steps recorded by the last commit.</summary>
        public long PersistedSteps { get { return _app.Allowance.PersistedSteps; } }

        /// <summary>Restores the application's state from the store. Call once, before
        /// <see cref="PumpApplication.Boot"/>; on <see cref="JournalOpenResult.Corrupt"/> the
        /// application is marked so that it boots into CRITICAL with the motor disabled.</summary>
        public JournalOpenResult Restore()
        {
            JournalOpenResult result = _durable.Boot();
            if (result == JournalOpenResult.Corrupt) _app.MarkStoredStateBad();
            return result;
        }

        /// <summary>The most steps a power loss can take from the counters at the calibration in force: those of at
        /// most 1 µL, or one step where a step is larger (64 steps, 1 µL, at 64000 steps/mL). The application never
        /// counts a step beyond the allowance of the last durable image without committing first, and that allowance is
        /// this bound while the motor runs and 0 while it does not. Pass it to <see cref="PumpApplication.Boot"/> after
        /// a restore: the boot charges what the restored image allows for, at most this.</summary>
        public int UnpersistedBoundSteps
        {
            get { return _app.UnaccountedBoundSteps; }
        }

        /// <summary>Lifetime steps not yet committed.</summary>
        public long UnpersistedSteps
        {
            get { return _app.Controller.TotalSteps - _app.Allowance.PersistedSteps; }
        }

        /// <inheritdoc />
        public bool OnStateChanged(PumpApplication app, int reasons)
        {
            return Commit();
        }

        /// <summary>Commits now (also at a clean shutdown).</summary>
        /// <returns>false when a write failed: the store threw (a file replaced by a folder, a full or failing flash).
        /// The journal then writes a whole snapshot at the next commit, so nothing is appended behind a torn record.</returns>
        public bool Commit()
        {
            return _durable.Commit();
        }
    }
}
