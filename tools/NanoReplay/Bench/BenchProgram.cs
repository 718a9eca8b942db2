// The replay's measuring twin (docs/ESP32-BUDGET.md): the same pump on the same in-memory
// fakes, driven through the operations whose cost the ESP32 budget needs, each in its own phase.
// A phase starts with a call to Thread.Sleep(0), so that a profiler told to dump its counters
// before each Sleep (valgrind's callgrind: --dump-before=*Thread*Sleep*) gets one count per
// phase; divided by the phase's count (printed) it is the cost of one operation. nanoCLR enters
// the Sleep twice, so the dumps alternate between a few thousand instructions (the Sleep itself)
// and a phase: what follows the n-th Sleep is dump 2n+1. The journal's phases print what they
// hold (commits, deltas, snapshots), so that a figure never mixes a snapshot into the deltas
// unseen. Garbage is allocated until the collector runs before and after one pump is built, so
// that a debugger (breaking after the runtime's collection) reads the heap the pump takes.
// Nothing is timed: instruction counts are what compare.
using System.Threading;
using PumpFirmware.App;
using PumpFirmware.Hal;
using PumpFirmware.Replay;
using PumpFirmware.Storage;

namespace PumpFirmware.Replay.Bench
{
    /// <summary>Runs the measured phases.</summary>
    public static class BenchProgram
    {
        /// <summary>Operations per phase.</summary>
        public const int Count = 200;

        /// <summary>Snapshot commits measured (each fills the journal again first: about 160 deltas).</summary>
        public const int SnapshotCount = 3;

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
            ReplayDevice compacting = Build(new MemoryRecordStore(), false); // phase 6's: a whole prime of its own
            Sink sink = new Sink();
            quiet.Send("AUTH 0000");
            quiet.Send("STOP");
            quiet.Send("STOP");
            quiet.Send("TEL 1");
            quiet.Link.TakeLines(sink, "");

            // 1. Priming at the board's maximum, polled every 10 ms tick: each Poll issues a block
            //    (no journal here; its commits are phases 4 and 5's).
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

            // 4. Delta commits only: the same priming ticks on the journalled pump, each followed by a commit,
            //    with no snapshot inside the measured phases. The journal (PumpPersistence.JournalCapacityBytes)
            //    holds about 160 to 220 deltas of this size, fewer than 200 ticks' commits, so the 200 ticks run as
            //    two phases of 100, each after the journal was compacted in an uncounted phase of its own; each phase
            //    prints its commits, deltas and snapshots (a snapshot there would make the figure mix both).
            //    Phase 1 is the same ticks without a journal: the commits cost the difference.
            JournalPhase("delta-commits-1", journalled, Count / 2, true);
            JournalPhase("delta-commits-2", journalled, Count / 2, true);

            // 5. The loop as the firmware runs it while priming at the board's maximum: ticks on the journalled
            //    pump and only the commits the application makes itself (the step allowance and the motor's starts
            //    and stops), after a compaction so that no snapshot falls inside.
            JournalPhase("poll-at-max-rate-journalled", journalled, Count, false);

            // 6. Snapshot commits on their own: what a commit does when the journal is full (the whole image copied,
            //    checked and written, the journal deleted, and the log's newest segment rewritten when the log has
            //    records the last snapshot did not name). The priming ticks and their commits go on, uncounted,
            //    until the journal has room for fewer than two more deltas; from then on each tick and each
            //    commit gets a counted part of its own (Mark), until that commit turns out to be a snapshot. A pump
            //    of its own, so that the prime (9,600 steps, about 1,500 per journal) lasts for every snapshot.
            //    The parts' numbers in the profiler's dumps, and what each commit wrote, are printed at the end.
            Phase("snapshot-commits");
            SnapshotCommits(compacting);
            Phase("snapshot-commits-done");
            System.Console.WriteLine("snapshot-commits snapshots=" + _snapshotCommits.ToString() + " trials=" + _trials.ToString()
                + " segment_writes=" + _segmentWrites.ToString() + " steps=" + compacting.Steps.Emitted.ToString()
                + " sleeps=" + _sleeps.ToString());
            for (int i = 0; i < _trials; i++)
            {
                System.Console.WriteLine("marked-commit part=" + (2 * _trialSleeps[i] + 1).ToString()
                    + " tick_part=" + (2 * _trialSleeps[i] - 1).ToString()
                    + " kind=" + (_trialKinds[i] == 2 ? "snapshot" : _trialKinds[i] == 1 ? "delta" : "none")
                    + " bytes=" + _trialBytes[i].ToString());
            }

            Phase("end");
            System.Console.WriteLine("alive " + priming.Steps.Emitted.ToString() + " " + journalled.Steps.Emitted.ToString()
                + " " + running.Steps.Emitted.ToString() + " " + quiet.Steps.Emitted.ToString());
        }

        /// <summary>Runs <paramref name="ticks"/> ticks on a journalled <paramref name="device"/> in phase
        /// <paramref name="name"/>, each followed by a commit when <paramref name="commitEach"/>, and prints what the
        /// journal wrote in it. The journal is compacted first (<see cref="Compact"/>), in an uncounted phase of its own,
        /// so that it starts empty; the print is in another, after the phase.</summary>
        private static void JournalPhase(string name, ReplayDevice device, int ticks, bool commitEach)
        {
            Phase(name + "-prepare");
            DurableState durable = device.Persistence.Durable;
            int prepared = Compact(device);
            long commits = durable.Commits;
            long deltas = durable.Deltas;
            long snapshots = durable.Snapshots;
            long steps = device.Steps.Emitted;
            Phase(name);
            for (int i = 0; i < ticks; i++)
            {
                Tick(device);
                if (commitEach) device.Persistence.Commit();
            }
            Phase(name + "-done");
            System.Console.WriteLine(name + " prepared_by=" + prepared.ToString() + " ticks=" + ticks.ToString()
                + " commits=" + (durable.Commits - commits).ToString()
                + " deltas=" + (durable.Deltas - deltas).ToString()
                + " snapshots=" + (durable.Snapshots - snapshots).ToString()
                + " last_bytes=" + durable.LastCommitBytes.ToString()
                + " steps=" + (device.Steps.Emitted - steps).ToString());
        }

        private const int MaxTrials = 64;
        private static int _sleeps;
        private static int _trials;
        private static int _snapshotCommits;
        private static long _segmentWrites;
        private static readonly int[] _trialSleeps = new int[MaxTrials];
        private static readonly int[] _trialKinds = new int[MaxTrials];
        private static readonly int[] _trialBytes = new int[MaxTrials];

        /// <summary>Runs priming ticks, each followed by a commit, until <see cref="SnapshotCount"/> explicit commits have
        /// been snapshots. The journal's fill is followed from what each delta wrote; near full, each tick and each commit
        /// is counted apart and what the commit wrote is recorded (0 none, 1 delta, 2 snapshot).</summary>
        private static void SnapshotCommits(ReplayDevice device)
        {
            DurableState durable = device.Persistence.Durable;
            Compact(device);
            int journalBytes = 0;
            int largestDelta = 0;
            while (_snapshotCommits < SnapshotCount && _trials < MaxTrials)
            {
                bool marked = PumpPersistence.JournalCapacityBytes - journalBytes < 2 * largestDelta;
                long deltas = durable.Deltas;
                long snapshots = durable.Snapshots;
                if (marked) Mark();
                Tick(device);
                journalBytes = Fill(durable, journalBytes, deltas, snapshots, ref largestDelta);
                deltas = durable.Deltas;
                snapshots = durable.Snapshots;
                if (marked)
                {
                    _trialSleeps[_trials] = Mark();
                }
                device.Persistence.Commit();
                if (marked)
                {
                    Mark();
                    _trialKinds[_trials] = durable.Snapshots != snapshots ? 2 : durable.Deltas != deltas ? 1 : 0;
                    _trialBytes[_trials] = durable.LastCommitBytes;
                    if (durable.Snapshots != snapshots)
                    {
                        _snapshotCommits++;
                        _segmentWrites += durable.Segments.LastWrites;
                    }
                    _trials++;
                }
                journalBytes = Fill(durable, journalBytes, deltas, snapshots, ref largestDelta);
            }
        }

        /// <summary>Runs priming ticks, each followed by a commit, until a commit has compacted the journal (a snapshot),
        /// as the firmware's own commits do; returns the ticks it took. Not DurableState.ForceSnapshot: the firmware
        /// never calls it, and on nanoCLR the commits after it came out dearer (1.10 M instructions a commit, 0.97 M
        /// after a compaction: more of the byte code ran, about 25 more calls a commit, for a reason not found; the journal
        /// skips were in step either way, and the bytes written the same).</summary>
        private static int Compact(ReplayDevice device)
        {
            DurableState durable = device.Persistence.Durable;
            long snapshots = durable.Snapshots;
            int ticks = 0;
            while (durable.Snapshots == snapshots)
            {
                Tick(device);
                device.Persistence.Commit();
                ticks++;
            }
            return ticks;
        }

        /// <summary>The journal's bytes after an operation that started with <paramref name="deltas"/> deltas and
        /// <paramref name="snapshots"/> snapshots written (a snapshot empties it; several deltas at once are counted at
        /// the last one's size).</summary>
        private static int Fill(DurableState durable, int journalBytes, long deltas, long snapshots, ref int largestDelta)
        {
            if (durable.Snapshots != snapshots) journalBytes = 0;
            int added = (int)(durable.Deltas - deltas);
            if (added > 0)
            {
                int bytes = durable.LastCommitBytes;
                if (bytes > largestDelta) largestDelta = bytes;
                journalBytes += added * bytes;
            }
            return journalBytes;
        }

        /// <summary>Starts a counted part without a line of output (a phase's name is printed, which costs); returns
        /// its number among all the calls to Thread.Sleep.</summary>
        private static int Mark()
        {
            Thread.Sleep(0);
            _sleeps++;
            return _sleeps;
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
            _sleeps++;
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
