// Fuzzing entry point. See fuzz/README.md for the full procedure.
//   afl                       the AFL++ target (run under afl-fuzz, with PumpFirmware.Core.dll instrumented by `dotnet sharpfuzz`)
//   libfuzzer                 the libFuzzer target (needs the libfuzzer-dotnet driver; not used on this project's machines)
//   replay <file|dir>...      runs the target on saved inputs (crashes, corpus) without instrumentation; exit 1 on any failure
//   seed <transcript> <dir>   writes the seed corpus from the golden transcript's request lines
using System.Text;
using SharpFuzz;

namespace PumpFirmware.Fuzz;

public static class Program
{
    public static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "";
        switch (mode)
        {
            case "afl":
                // Out of process: an exception or a hang in one input cannot poison the next.
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var memory = new MemoryStream();
                    stream.CopyTo(memory);
                    ProtocolTarget.Run(memory.ToArray());
                });
                return 0;
            case "libfuzzer":
                Fuzzer.LibFuzzer.Run(span => ProtocolTarget.Run(span));
                return 0;
            case "replay":
                return Replay(args.Skip(1).ToArray());
            case "seed":
                if (args.Length != 3) break;
                return Seeds.Write(args[1], args[2]);
        }
        Console.Error.WriteLine("usage: PumpFirmware.Fuzz afl | libfuzzer | replay <file|dir>... | seed <transcript.txt> <out-dir>");
        return 2;
    }

    private static int Replay(string[] paths)
    {
        var files = new List<string>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path)) files.AddRange(Directory.GetFiles(path).Where(f => !Path.GetFileName(f).StartsWith("README")).OrderBy(f => f, StringComparer.Ordinal));
            else files.Add(path);
        }
        int failed = 0;
        foreach (string file in files)
        {
            try
            {
                ProtocolTarget.Run(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                failed++;
                Console.WriteLine($"FAIL {file}: {e.GetType().Name}: {e.Message}");
                Console.WriteLine(e.StackTrace);
            }
        }
        Console.WriteLine($"replayed {files.Count} inputs: {files.Count - failed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
}
