// Model of nanoFramework.Hardware.Esp32.Rmt 2.0.51 over nf-interpreter's RMT natives
// (targets/ESP32/_nanoCLR/nanoFramework.Hardware.Esp32.Rmt/..._TransmitterChannel.cpp,
// "TransmitterChannel.cpp" below) and ESP-IDF's legacy RMT driver they call (rmt_legacy.c).
//  - Settings defaults: 80 MHz / 80 = 1 µs ticks, one memory block, BufferSize 100 (unused by the
//    native code), a 38 kHz carrier ON (RmtChannelSettings.cs:145-156, TransmitChannelSettings.cs:
//    146-153).
//  - The driver is installed with interrupt flags 0 (TransmitterChannel.cpp:92): its interrupt
//    handler is not in IRAM, so it cannot run while a flash write has the cache disabled.
//  - SendData copies the items and calls rmt_write_items (TransmitterChannel.cpp:299-340). That
//    waits for the previous transmission's end first (rmt_write_items takes tx_sem, given by the
//    TX-end interrupt). A block SHORTER than the channel memory (64 items per memory block,
//    RMT_MEM_ITEM_NUM) is written whole with an end marker and runs on its own. A block of 64
//    items or more is fed by the threshold interrupt, one half-memory (32 items) at a time; if
//    that interrupt is held off (flash write) past the moment the transmitter wraps into the
//    half it should have refilled, the transmitter replays the stale half. The model inserts
//    those 32 stale items once per late refill: extra STEP pulses.
//  - IsChannelIdle returns the first output of rmt_get_idle_level, which is whether idle-level
//    OUTPUT is enabled (TransmitterChannel.cpp:108-135), not whether the transmission ended.
//  - Dispose uninstalls the driver (rmt_driver_uninstall) and never calls rmt_tx_stop
//    (TransmitterChannel.cpp:342-370): the model lets the transmission run to its end marker
//    on the pad (what the RMT module does once its clock is gated on the last uninstall is
//    silicon-only; see docs/DEVICE.md).
using System;
using PumpFirmware.Esp32.NativeModel;

namespace nanoFramework.Hardware.Esp32.Rmt
{
    public enum ChannelMode
    {
        Receive,
        Transmit,
    }

    public abstract class RmtChannelSettings
    {
        private int _channel;
        private int _pinNumber;
        private byte _clockDivider;
        private byte _numberOfMemoryBlocks;
        private int _bufferSize;
        private bool _signalInverterEnabled;

        protected RmtChannelSettings(int pinNumber) : this(-1, pinNumber)
        {
        }

        protected RmtChannelSettings(int channel, int pinNumber)
        {
            _channel = channel <= 7 ? channel : -1;
            _pinNumber = pinNumber;
            _clockDivider = 80;
            _numberOfMemoryBlocks = 1;
            _bufferSize = 100;
        }

        public int Channel { get { return _channel; } set { _channel = value; } }

        public int PinNumber { get { return _pinNumber; } set { _pinNumber = value; } }

        /// <summary>Divides the 80 MHz APB clock; 80 gives 1 µs ticks (the package default).</summary>
        public byte ClockDivider { get { return _clockDivider; } set { _clockDivider = value; } }

        public byte NumberOfMemoryBlocks { get { return _numberOfMemoryBlocks; } set { _numberOfMemoryBlocks = value; } }

        /// <summary>RMT items the driver buffers (package default 100).</summary>
        public int BufferSize { get { return _bufferSize; } set { _bufferSize = value; } }

        public bool SignalInverterEnabled { get { return _signalInverterEnabled; } set { _signalInverterEnabled = value; } }
    }

    public sealed class TransmitChannelSettings : RmtChannelSettings
    {
        private bool _enableCarrierWave = true;
        private bool _enableLooping;
        private int _loopCount;
        private bool _enableIdleLevelOutput;
        private bool _idleLevel;

        public TransmitChannelSettings(int pinNumber) : base(pinNumber)
        {
        }

        public TransmitChannelSettings(int channel, int pinNumber) : base(channel, pinNumber)
        {
        }

        /// <summary>The package default is true (38 kHz IR carrier): a step output must turn it off.</summary>
        public bool EnableCarrierWave { get { return _enableCarrierWave; } set { _enableCarrierWave = value; } }

        public bool EnableLooping { get { return _enableLooping; } set { _enableLooping = value; } }

        public int LoopCount { get { return _loopCount; } set { _loopCount = value; } }

        public bool EnableIdleLevelOutput { get { return _enableIdleLevelOutput; } set { _enableIdleLevelOutput = value; } }

        public bool IdleLevel { get { return _idleLevel; } set { _idleLevel = value; } }
    }

    public abstract class RmtChannel
    {
        internal readonly RmtChannelSettings _settings;

        protected RmtChannel(RmtChannelSettings settings)
        {
            _settings = settings;
        }

        public abstract ChannelMode Mode { get; }

        public int Channel { get { return _settings.Channel; } }

        public int Pin { get { return _settings.PinNumber; } set { _settings.PinNumber = value; } }

        public byte ClockDivider { get { return _settings.ClockDivider; } set { _settings.ClockDivider = value; } }

        public static int SourceClockFrequency { get { return 80000000; } }
    }

    public class TransmitterChannel : RmtChannel, IDisposable
    {
        private readonly TransmitChannelSettings _tx;
        private readonly bool _idleOutputEnabled;
        private bool _disposed;

        public TransmitterChannel(TransmitChannelSettings settings) : base(settings)
        {
            if (settings == null)
            {
                throw new ArgumentNullException("settings");
            }

            _tx = settings;
            _idleOutputEnabled = settings.EnableIdleLevelOutput;
            _settings.Channel = NativeBoard.RmtInstall(settings.Channel, settings.PinNumber, settings.NumberOfMemoryBlocks, settings.EnableCarrierWave, settings.IdleLevel, settings.ClockDivider);
        }

        public override ChannelMode Mode { get { return ChannelMode.Transmit; } }

        public bool IsChannelIdle
        {
            get
            {
                CheckChannel();
                // TransmitterChannel.cpp:130-132: rmt_get_idle_level(channel, &retVal, &level);
                // retVal is idle_out_en.
                return _idleOutputEnabled;
            }
        }

        /// <summary>Sends raw rmt_item32_t words (4 bytes each, little-endian).</summary>
        public void SendData(byte[] data, bool waitTxDone)
        {
            CheckChannel();
            if (data == null)
            {
                throw new ArgumentNullException("data");
            }

            if (data.Length % 4 != 0)
            {
                // TransmitterChannel.cpp:325-330: CLR_E_SERIALIZATION_VIOLATION.
                throw new InvalidOperationException("not whole rmt items");
            }

            NativeBoard.RmtWrite(_settings.Channel, data, waitTxDone);
        }

        public void Dispose()
        {
            Dispose(true);
        }

        protected virtual void Dispose(bool disposing)
        {
            CheckChannel();
            NativeBoard.Log("TransmitterChannel.Dispose " + _settings.Channel);
            NativeBoard.RmtUninstall(_settings.Channel);
            _disposed = true;
        }

        private void CheckChannel()
        {
            if (_disposed)
            {
                // CheckChannel fails once the channel is erased: CLR_E_OBJECT_DISPOSED.
                throw new ObjectDisposedException("TransmitterChannel");
            }
        }
    }
}

namespace PumpFirmware.Esp32.NativeModel
{
    using System.Collections.Generic;

    public static partial class NativeBoard
    {
        /// <summary>RMT items in one memory block (ESP32: RMT_MEM_ITEM_NUM).</summary>
        public const int RmtItemsPerMemoryBlock = 64;

        private sealed class RmtUnit
        {
            public int Channel;
            public int Pin;
            public int MemoryItems;
            public bool Installed;
            public readonly List<RmtTransmission> Transmissions = new List<RmtTransmission>();
        }

        private sealed class RmtTransmission
        {
            public long Start;
            public int[] Durations0;
            public bool[] Levels0;
            public int[] Durations1;
            public bool[] Levels1;
            public int MemoryItems;
            public long PlannedEnd;
            public long[] FinalEdges; // fixed once no later flash write can change it
        }

        private static readonly Dictionary<int, RmtUnit> s_rmt = new Dictionary<int, RmtUnit>();

        /// <summary>Stale half-blocks the RMT replayed because a refill came late (all channels).</summary>
        public static int RmtStaleReplays { get; private set; }

        private static void ResetRmt()
        {
            s_rmt.Clear();
            RmtStaleReplays = 0;
        }

        internal static int RmtInstall(int channel, int pin, int memoryBlocks, bool carrier, bool idleLevel, int divider)
        {
            lock (Sync)
            {
                if (channel < 0)
                {
                    // RmtChannel.cpp:104-114 FindNextChannel: the lowest channel not registered.
                    for (channel = 0; channel < 8; channel++)
                    {
                        if (!s_rmt.TryGetValue(channel, out RmtUnit u) || !u.Installed)
                        {
                            break;
                        }
                    }

                    if (channel == 8)
                    {
                        throw new InvalidOperationException("no free RMT channel");
                    }
                }

                if (carrier)
                {
                    throw new NotSupportedException("model: a carrier-modulated STEP line is not modelled (the adapter must disable it)");
                }

                if (divider != 80)
                {
                    throw new NotSupportedException("model: only 1 µs ticks are modelled");
                }

                if (!s_rmt.TryGetValue(channel, out RmtUnit unit))
                {
                    unit = new RmtUnit { Channel = channel };
                    s_rmt[channel] = unit;
                }

                unit.Pin = pin;
                unit.MemoryItems = (memoryBlocks < 1 ? 1 : memoryBlocks) * RmtItemsPerMemoryBlock;
                unit.Installed = true;
                Log("TransmitterChannel.Init " + channel + " pin " + pin);
                RmtUnit captured = unit;
                RoutePeripheral(pin, "RMT" + channel, t => RmtLevel(captured, t));
                return channel;
            }
        }

        internal static void RmtUninstall(int channel)
        {
            lock (Sync)
            {
                if (s_rmt.TryGetValue(channel, out RmtUnit unit))
                {
                    unit.Installed = false;
                }
            }
        }

        internal static void RmtWrite(int channel, byte[] data, bool wait)
        {
            int count = data.Length / 4;
            var d0 = new int[count];
            var l0 = new bool[count];
            var d1 = new int[count];
            var l1 = new bool[count];
            for (int i = 0; i < count; i++)
            {
                int o = i * 4;
                d0[i] = data[o] | ((data[o + 1] & 0x7F) << 8);
                l0[i] = (data[o + 1] & 0x80) != 0;
                d1[i] = data[o + 2] | ((data[o + 3] & 0x7F) << 8);
                l1[i] = (data[o + 3] & 0x80) != 0;
            }

            long dispatch;
            lock (Sync)
            {
                dispatch = RmtDispatchDelayMicros;
            }

            if (dispatch > 0)
            {
                Advance(dispatch);
            }

            RmtUnit unit;
            lock (Sync)
            {
                unit = s_rmt[channel];
            }

            // rmt_write_items: xSemaphoreTake(tx_sem) - the caller waits for the previous end
            // (given by the TX-end interrupt, itself held off by a flash write).
            while (true)
            {
                long busyUntil;
                lock (Sync)
                {
                    busyUntil = 0;
                    if (unit.Transmissions.Count > 0)
                    {
                        busyUntil = NonIramIsrRunsAt(TransmissionEnd(unit.Transmissions[unit.Transmissions.Count - 1]));
                    }

                    if (busyUntil <= s_now)
                    {
                        break;
                    }

                    busyUntil -= s_now;
                }

                Log("TransmitterChannel.SendData waits " + busyUntil + " us for the previous transmission");
                Advance(busyUntil);
            }

            RmtTransmission tx;
            lock (Sync)
            {
                tx = new RmtTransmission { Start = s_now, Durations0 = d0, Levels0 = l0, Durations1 = d1, Levels1 = l1, MemoryItems = unit.MemoryItems };
                long total = 0;
                for (int i = 0; i < count; i++)
                {
                    total += d0[i];
                    if (d0[i] == 0)
                    {
                        break;
                    }

                    total += d1[i];
                    if (d1[i] == 0)
                    {
                        break;
                    }
                }

                tx.PlannedEnd = s_now + total;
                unit.Transmissions.Add(tx);
                Log("TransmitterChannel.SendData " + channel + " " + count + " items");
            }

            if (wait)
            {
                long end;
                lock (Sync)
                {
                    end = TransmissionEnd(tx) - s_now;
                }

                if (end > 0)
                {
                    Advance(end);
                }
            }
        }

        /// <summary>The item stream the transmitter really sends: the block, plus a stale
        /// half-memory replayed wherever the refill interrupt came too late.</summary>
        private static List<(int D, bool L)> Stream(RmtTransmission tx, out int staleReplays)
        {
            var halves = new List<(int D, bool L)>();
            int count = tx.Durations0.Length;
            staleReplays = 0;
            if (count < tx.MemoryItems)
            {
                for (int i = 0; i < count; i++)
                {
                    halves.Add((tx.Durations0[i], tx.Levels0[i]));
                    halves.Add((tx.Durations1[i], tx.Levels1[i]));
                }

                return halves;
            }

            // Refill mode: memory holds MemoryItems; the threshold interrupt fires each time a
            // half (MemoryItems / 2) has been sent and refills that half with the next items.
            int half = tx.MemoryItems / 2;
            var memory = new int[tx.MemoryItems];
            for (int i = 0; i < tx.MemoryItems; i++)
            {
                memory[i] = i;
            }

            int nextToWrite = tx.MemoryItems;
            long t = tx.Start;
            int readIndex = 0;
            var pendingRefills = new List<(long RunsAt, int Half)>();
            int sent = 0;
            int highestSent = -1;
            int staleItems = 0;
            while (sent < 100000)
            {
                foreach (var refill in pendingRefills.ToArray())
                {
                    if (refill.RunsAt <= t)
                    {
                        for (int k = 0; k < half; k++)
                        {
                            memory[(refill.Half * half) + k] = nextToWrite < count ? nextToWrite : -1;
                            nextToWrite++;
                        }

                        pendingRefills.Remove(refill);
                    }
                }

                int item = memory[readIndex];
                if (item < 0)
                {
                    break; // the end marker the driver writes after the last item
                }

                if (item <= highestSent)
                {
                    staleItems++;
                }
                else
                {
                    highestSent = item;
                }

                halves.Add((tx.Durations0[item], tx.Levels0[item]));
                halves.Add((tx.Durations1[item], tx.Levels1[item]));
                t += tx.Durations0[item] + tx.Durations1[item];
                sent++;
                readIndex++;
                if (readIndex % half == 0)
                {
                    int justSent = (readIndex / half) - 1;
                    pendingRefills.Add((NonIramIsrRunsAt(t) + 2, justSent % 2));
                }

                if (readIndex == tx.MemoryItems)
                {
                    readIndex = 0;
                }

            }

            staleReplays = staleItems / half;
            return halves;
        }

        private static long TransmissionEnd(RmtTransmission tx)
        {
            long t = tx.Start;
            foreach (var (d, _) in Stream(tx, out _))
            {
                if (d == 0)
                {
                    break;
                }

                t += d;
            }

            return t;
        }

        private static long[] RisingEdges(RmtTransmission tx, out int stale)
        {
            var edges = new List<long>();
            long t = tx.Start;
            bool level = false;
            foreach (var (d, l) in Stream(tx, out stale))
            {
                if (d == 0)
                {
                    break;
                }

                if (l && !level)
                {
                    edges.Add(t);
                }

                level = l;
                t += d;
            }

            return edges.ToArray();
        }

        private static bool RmtLevel(RmtUnit unit, long micros)
        {
            foreach (RmtTransmission tx in unit.Transmissions)
            {
                if (micros < tx.Start)
                {
                    continue;
                }

                long t = tx.Start;
                foreach (var (d, l) in Stream(tx, out _))
                {
                    if (d == 0)
                    {
                        break;
                    }

                    if (micros < t + d)
                    {
                        return l;
                    }

                    t += d;
                }
            }

            return false; // idle level low
        }

        /// <summary>Rising edges the RMT put on a pad up to now.</summary>
        internal static long RmtEdges(int gpio)
        {
            long edges = 0;
            foreach (RmtUnit unit in s_rmt.Values)
            {
                if (unit.Pin != gpio || PeripheralOn(gpio) != "RMT" + unit.Channel)
                {
                    continue;
                }

                foreach (RmtTransmission tx in unit.Transmissions)
                {
                    if (tx.FinalEdges == null)
                    {
                        long[] all = RisingEdges(tx, out int stale);
                        long end = TransmissionEnd(tx);
                        if (end < s_now && !FlashBusyAt(s_now))
                        {
                            tx.FinalEdges = all;
                            RmtStaleReplays += stale;
                        }
                        else
                        {
                            foreach (long e in all)
                            {
                                if (e <= s_now)
                                {
                                    edges++;
                                }
                            }

                            continue;
                        }
                    }

                    foreach (long e in tx.FinalEdges)
                    {
                        if (e <= s_now)
                        {
                            edges++;
                        }
                    }
                }
            }

            return edges;
        }

        /// <summary>Every rising edge the RMT put on a pad, with its time (up to now).</summary>
        internal static List<long> RmtEdgeTimes(int gpio)
        {
            var times = new List<long>();
            foreach (RmtUnit unit in s_rmt.Values)
            {
                if (unit.Pin != gpio)
                {
                    continue;
                }

                foreach (RmtTransmission tx in unit.Transmissions)
                {
                    foreach (long e in tx.FinalEdges ?? RisingEdges(tx, out _))
                    {
                        if (e <= s_now)
                        {
                            times.Add(e);
                        }
                    }
                }
            }

            return times;
        }
    }
}
