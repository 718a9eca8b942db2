// The replay's measuring twin (docs/ESP32-BUDGET.md): the same pump on the same in-memory
// fakes, driven through the operations whose cost the ESP32 budget needs, each in its own phase.
// A phase starts with a call to Thread.Sleep(0), so that a profiler told to dump its counters
// before each Sleep (valgrind's callgrind: --dump-before=*Thread*Sleep*) gets one count per
// phase; divided by the phase's count (printed) it is the cost of one operation. Garbage is
// allocated until the collector runs before and after one pump is built, so that a debugger
// (breaking after the runtime's collection) reads the heap the pump takes. Nothing is timed:
// instruction counts are what compare.
using System.Threading;
using PumpFirmware.App;
using PumpFirmware.Hal;
using PumpFirmware.Replay;

namespace PumpFirmware.Replay.Bench
{
    /// <summary>Runs the measured phases.</summary>
    public static class BenchProgram
    {
        /// <summary>Operations per phase.</summary>
        public const int Count = 200;

        /// <summary>The ESP32 main loop's tick, µs.</summary>
        public const long TickMicros = 10000;

        /// <summary>Runs every phase.</summary>
        public static void Main()
        {
            // 0. The heap in use: collected once before any pump exists and once with one journalled
            //    pump built and running (its store's buffers, the flash's share, are printed).
            Phase("gc-without-pump");
            Garbage();
            MemoryRecordStore store = new MemoryRecordStore();
            ReplayDevice journalled = Build(store, false);
            Phase("gc-with-one-journalled-pump");
            Garbage();
            System.Console.WriteLine("store_buffer_bytes=" + store.AllocatedBytes.ToString()
                + " image_bytes=" + journalled.Persistence.Durable.ImageLength.ToString());

            Phase("setup");
            ReplayDevice priming = Build(null, false);
            ReplayDevice running = Build(null, true);
            ReplayDevice quiet = Build(null, true);
            Sink sink = new Sink();
            quiet.Send("AUTH 0000");
            quiet.Send("STOP");
            quiet.Send("STOP");
            quiet.Send("TEL 1");
            quiet.Link.TakeLines(sink, "");

            // 1. Priming at the board's maximum, polled every 10 ms tick: each Poll issues a block
            //    (no journal here; its commits are phase 4's).
            Phase("poll-at-max-rate");
            long before = priming.Steps.Emitted;
            for (int i = 0; i < Count; i++) Tick(priming);
            System.Console.WriteLine("poll-at-max-rate polls=" + Count.ToString() + " steps=" + (priming.Steps.Emitted - before).ToString());

            // 1b. The loop between steps at a therapeutic rate: one Poll every 50 ms (the longest the
            //     ESP32 loop sleeps, PumpApplication.InputPollMicros), RUNNING 150 ug/day.
            Phase("idle-poll");
            before = running.Steps.Emitted;
            for (int i = 0; i < Count; i++)
            {
                running.Clock.NowMicros += PumpApplication.InputPollMicros;
                running.App.Poll();
            }
            System.Console.WriteLine("idle-poll polls=" + Count.ToString() + " steps=" + (running.Steps.Emitted - before).ToString());

            // 2. One STATUS? request (read, parse, run, format, write), RUNNING.
            Phase("status");
            for (int i = 0; i < Count; i++)
            {
                running.Send("STATUS?");
                running.Link.TakeLines(sink, "");
            }
            System.Console.WriteLine("status requests=" + Count.ToString());

            // 3. One !TEL line: a stopped pump (no steps) with telemetry every second, one second per wake.
            Phase("tel");
            int lines = sink.Lines;
            for (int i = 0; i < Count; i++)
            {
                quiet.Advance(1000000);
                quiet.Link.TakeLines(sink, "");
            }
            System.Console.WriteLine("tel lines=" + (sink.Lines - lines).ToString());

            // 4. Journal commits: the same priming ticks, each followed by a commit (so that the
            //    automatic ones never come due); phase 1 is the same without.
            Phase("poll-at-max-rate-with-commit");
            long commits = journalled.Persistence.Durable.Commits;
            long deltas = journalled.Persistence.Durable.Deltas;
            for (int i = 0; i < Count; i++)
            {
                Tick(journalled);
                journalled.Persistence.Commit();
            }
            System.Console.WriteLine("commits=" + (journalled.Persistence.Durable.Commits - commits).ToString()
                + " deltas=" + (journalled.Persistence.Durable.Deltas - deltas).ToString()
                + " last_bytes=" + journalled.Persistence.Durable.LastCommitBytes.ToString()
                + " steps=" + journalled.Steps.Emitted.ToString());

            Phase("end");
            System.Console.WriteLine("alive " + priming.Steps.Emitted.ToString() + " " + journalled.Steps.Emitted.ToString()
                + " " + running.Steps.Emitted.ToString() + " " + quiet.Steps.Emitted.ToString());
        }

        /// <summary>Allocates garbage until the collector has run (the heap is 10 MB on the emulator).</summary>
        private static void Garbage()
        {
            for (int i = 0; i < 200; i++)
            {
                byte[] garbage = new byte[64000];
                garbage[i] = 1;
            }
        }

        private static void Phase(string name)
        {
            System.Console.WriteLine("phase " + name);
            Thread.Sleep(0);
        }

        /// <summary>One main-loop tick: 10 ms pass, then one Poll (as the ESP32 loop does).</summary>
        private static void Tick(ReplayDevice device)
        {
            device.Clock.NowMicros += TickMicros;
            device.App.Poll();
        }

        /// <summary>A pump with 150 ug/day of 500 ug/mL (19200 steps/day) committed and a full
        /// reservoir: priming 150 uL at the board's maximum, or (<paramref name="start"/>) RUNNING
        /// after the prime.</summary>
        private static ReplayDevice Build(MemoryRecordStore store, bool start)
        {
            ReplayDevice device = new ReplayDevice(ReplayDevice.FactoryOffClockSeconds, store);
            device.Boot(ResetCause.Power);
            Sink sink = new Sink();
            string[] setup =
            {
                "AUTH 0000", "TIME 1767225600", "PROG:NEW", "PROG:DRUG baclofen 500", "PROG:LIMIT 400", "PROG:STEP 00:00 150",
                "PROG:CATHETER 150",
            };
            for (int i = 0; i < setup.Length; i++) device.Send(setup[i]);
            device.Send("PROG:REVIEW");
            string review = LastLine(device, sink);
            device.Send("PROG:COMMIT " + review.Substring(7, 4));
            device.Send("REFILL 20000");
            device.Send("PRIME 150");
            device.Link.TakeLines(sink, "");
            if (start)
            {
                device.Advance(11000000); // 9600 steps at 1000 steps/s: done
                device.Send("AUTH 0000");
                device.Send("START");
                device.Advance(60000000);
                device.Link.TakeLines(sink, "");
            }
            return device;
        }

        private static string LastLine(ReplayDevice device, Sink sink)
        {
            device.Link.TakeLines(sink, "");
            return sink.Last;
        }

        private sealed class Sink : IReplayOutput
        {
            public int Lines;
            public string Last = "";

            public void Line(string text)
            {
                Lines++;
                Last = text;
            }
        }
    }
}
