// State that only grows at its end, numbered by a sequence (the event log): journalled one
// record at a time as it is appended, and moved into log segment files of its own at each
// snapshot (LogSegments; snapshots of format 1 carried it whole). Saving the whole ring on
// every change would rewrite tens of kilobytes per record, and a ring that shifts by a record
// defeats a byte diff.
namespace PumpFirmware.Storage
{
    /// <summary>A sequence-numbered append-only record store kept in RAM (the event log).</summary>
    public interface IAppendOnlyState
    {
        /// <summary>The seq the next appended record gets; seqs below it exist or were dropped.</summary>
        long NextSeq { get; }

        /// <summary>The oldest seq still held.</summary>
        long OldestSeq { get; }

        /// <summary>Writes the whole thing.</summary>
        void Save(StateWriter writer);

        /// <summary>Replaces the whole thing with what <see cref="Save"/> wrote.</summary>
        bool Load(StateReader reader);

        /// <summary>Writes record <paramref name="seq"/> (its seq included).</summary>
        void WriteRecord(long seq, StateWriter writer);

        /// <summary>Appends a record written by <see cref="WriteRecord"/> (ignored if already held).</summary>
        bool ReadRecord(StateReader reader);

        /// <summary>Writes record <paramref name="seq"/> without its seq (a log segment numbers its records by position).</summary>
        void WriteRecordBody(long seq, StateWriter writer);

        /// <summary>Appends a record written by <see cref="WriteRecordBody"/>; it gets <see cref="NextSeq"/>.</summary>
        bool AppendRecordBody(StateReader reader);

        /// <summary>Empties it and numbers the next record <paramref name="nextSeq"/> (a restore from log segments).</summary>
        void Restart(long nextSeq);
    }
}
