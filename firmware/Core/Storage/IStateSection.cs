// Rules added after image layout 2 (refill history, daily history, drug library, battery, ...)
// each keep their durable state in a section of their own at the end of the state image, so a
// new rule adds a section instead of another field in the middle of TherapyController.Save, and
// an image written before the rule existed still loads (the section is simply absent: cleared).
// Sections are part of the image, so the journal's deltas, request rollback and the crash tests
// cover them with no code of their own.
namespace PumpFirmware.Storage
{
    /// <summary>A rule's part of the state image (layout 3 and later; docs/STORAGE.md lists the tags).</summary>
    public interface IStateSection
    {
        /// <summary>The section's tag in the image, 1..250, unique (docs/STORAGE.md keeps the table).</summary>
        int SectionTag { get; }

        /// <summary>Bytes <see cref="SaveSection"/> always writes (fixed-size buffers: a constant), at most 65535.</summary>
        int SectionBytes { get; }

        /// <summary>Writes exactly <see cref="SectionBytes"/> bytes of fixed-width fields; the same bytes for the same
        /// state (the journal diffs images). No allocation.</summary>
        void SaveSection(StateWriter writer);

        /// <summary>Reads a section of <paramref name="length"/> bytes written by this or an older firmware. Checks
        /// every field; returns false (state unchanged) when the section is not valid: the pump then boots into CRITICAL.</summary>
        bool LoadSection(StateReader reader, int length);

        /// <summary>Sets the state an image without this section means: a factory start, or an image written by
        /// firmware older than the rule.</summary>
        void ClearSection();
    }
}
