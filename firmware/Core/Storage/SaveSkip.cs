// For a component whose saved bytes change rarely (the two programs, the refill ring, the drug library, the titration
// history): the storage journal's pass may step over its bytes instead of comparing them, when the bytes already in
// the image are the ones it would write. That is so when this is the same writer's next diff pass after the one that
// wrote (or stepped over) them, at the same position, and the component has not changed since: the component counts
// its changes (a number it bumps in every method that changes what it saves, loads included) and the skip compares
// that count with the one it wrote with. Anything else writes the bytes (compared as usual). A change count a
// mutation forgets to bump would leave stale bytes in the image: the components' save tests compare skipping passes
// with passes that compare every byte after every mutating method.
namespace PumpFirmware.Storage
{
    /// <summary>Remembers where a component's bytes were written in the journal's last diff pass, and with which change
    /// count, so that the next pass may step over them (<see cref="StateWriter.SkipTo"/>). No allocation.</summary>
    public sealed class SaveSkip
    {
        private StateWriter _writer;
        private int _pass;
        private int _start;
        private int _end;
        private int _changes;

        /// <summary>Steps over the component's bytes when <paramref name="writer"/> is in the diff pass right after the one
        /// that wrote them, at the same position, and <paramref name="changes"/> is the count they were written with.</summary>
        /// <returns>true when skipped (the writer is past the bytes); false when the caller must write them and then
        /// call <see cref="Wrote"/>.</returns>
        public bool TrySkip(StateWriter writer, int changes)
        {
            if (writer != _writer || changes != _changes || writer.Position != _start || writer.DiffPass != _pass + 1
                || !writer.SkipTo(_end))
            {
                return false;
            }
            _pass = writer.DiffPass;
            return true;
        }

        /// <summary>Records that the component wrote its bytes from <paramref name="start"/> to the writer's position with
        /// change count <paramref name="changes"/>; only a diff pass that wrote into its buffer counts.</summary>
        public void Wrote(StateWriter writer, int start, int changes)
        {
            if (!writer.InDiffPass || writer.Overflow)
            {
                // Another writer's pass (a request's rollback copy) leaves this writer's image as it was.
                if (writer == _writer) _writer = null;
                return;
            }
            _writer = writer;
            _pass = writer.DiffPass;
            _start = start;
            _end = writer.Position;
            _changes = changes;
        }
    }
}
