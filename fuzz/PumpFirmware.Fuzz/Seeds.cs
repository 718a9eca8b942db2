using System.Text;

namespace PumpFirmware.Fuzz;

/// <summary>The seed corpus: the golden transcript's request lines ("> " lines), as a whole and
/// per section ("# ---" headings), each from a factory pump and from a RUNNING one.</summary>
public static class Seeds
{
    public static int Write(string transcriptPath, string directory)
    {
        Directory.CreateDirectory(directory);
        var sections = new List<List<string>> { new() };
        var all = new List<string>();
        foreach (string raw in File.ReadAllLines(transcriptPath, Encoding.Latin1))
        {
            if (raw.StartsWith("# ---")) { if (sections[^1].Count > 0) sections.Add(new List<string>()); continue; }
            if (!raw.StartsWith("> ")) continue;
            string request = raw.Substring(2);
            sections[^1].Add(request);
            all.Add(request);
        }
        int count = 0;
        void Emit(string name, byte flags, IEnumerable<string> lines)
        {
            var bytes = new List<byte> { flags };
            foreach (string line in lines) { bytes.AddRange(Encoding.Latin1.GetBytes(line)); bytes.Add((byte)'\n'); }
            File.WriteAllBytes(Path.Combine(directory, name), bytes.ToArray());
            count++;
        }
        // Flags: bit 0 RUNNING start; bits 1-2 time per chunk; bits 3-5 chunk size (see ProtocolTarget).
        Emit("transcript-fresh", 0b111_00_0, all);
        Emit("transcript-bytewise", 0b000_00_0, all);
        for (int i = 0; i < sections.Count; i++)
        {
            if (sections[i].Count == 0) continue;
            Emit($"section{i:D2}-fresh", 0b011_01_0, new[] { "AUTH 0000" }.Concat(sections[i]));
            Emit($"section{i:D2}-running", 0b010_10_1, sections[i]);
        }
        Console.WriteLine($"wrote {count} seeds to {directory}");
        return 0;
    }
}
