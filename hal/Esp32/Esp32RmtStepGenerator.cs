// STEP pulses from the RMT peripheral: one transmission per block, exact counts and µs timing,
// no CPU work between steps and never Thread.Sleep. The block's RMT items come from the pure
// RmtStepBlockEncoder (tested on the host); this shell only owns the channel. The bookkeeping
// (emitted, pending, what an abort leaves counted) is the pure RmtBlockTracker; with a fault
// line, StepConfirmation turns the emitted count into the confirmed count for stall detection.
//
// What nanoFramework's RMT really does (nf-interpreter targets/ESP32/_nanoCLR/
// nanoFramework.Hardware.Esp32.Rmt/..._TransmitterChannel.cpp, "TransmitterChannel.cpp", and
// ESP-IDF's legacy driver rmt_legacy.c it calls), and what this class does about it:
//  - IsChannelIdle returns whether idle-level OUTPUT is enabled (rmt_get_idle_level's first
//    result, TransmitterChannel.cpp:130-132), not whether the transmission ended. It is not
//    read. A block's end is judged by time, counted from when SendData RETURNED (the
//    transmission started inside it, rmt_write_items -> rmt_tx_start), so a pause between the
//    clock read and the native call (GC, a thread switch) can never make a block look finished
//    while its last pulses are still on the way (the driver would be switched off under them).
//  - The driver is installed with interrupt flags 0 (TransmitterChannel.cpp:92): its ISR is not
//    in IRAM. rmt_write_items writes a block shorter than the channel memory whole, with an end
//    marker, and the transmitter stops on its own; a block of 64 items or more (one memory
//    block, RMT_MEM_ITEM_NUM) is refilled by that ISR half a memory at a time, and a flash write
//    (the journal, while pumping) holds the ISR off: the transmitter replays stale items, i.e.
//    extra STEP pulses. So every block is kept to Esp32Settings.MaxRmtItems (63) items in one
//    memory block (NumberOfMemoryBlocks 1, set explicitly).
//  - Dispose uninstalls the driver and never stops the transmitter (TransmitterChannel.cpp:
//    342-370: rmt_driver_uninstall, no rmt_tx_stop), and the API has no stop. So Abort does not
//    touch the channel: the aborted block (at most 63 items, so it ends by itself) runs out,
//    TryIssue refuses and IsOutputQuiet is false until its planned end, and the stepper driver
//    (IStepOutputInterlock) stays disabled meanwhile - pulses after the abort reach a disabled
//    driver and move nothing; they are not counted.
using nanoFramework.Hardware.Esp32.Rmt;
using PumpFirmware.Hal.Esp32.Logic;

namespace PumpFirmware.Hal.Esp32
{
    /// <summary>IStepGenerator and IStepFeedback on an RMT transmit channel driving STEP.</summary>
    public sealed class Esp32RmtStepGenerator : IStepGenerator, IStepFeedback, IStepOutputInterlock
    {
        /// <summary>Margin added to a block's planned end before the STEP line counts as quiet, µs.</summary>
        public const long QuietMarginMicros = 100;

        private readonly int _stepGpio;
        private readonly IMonotonicClock _clock;
        private readonly IDigitalInput _fault;
        private readonly RmtStepBlockEncoder _encoder;
        private readonly RmtBlockTracker _tracker;
        private readonly StepConfirmation _confirmation = new StepConfirmation();
        private readonly object _lock = new object();
        private readonly TransmitterChannel _channel;
        private byte[] _items = new byte[0];
        private long _blockEndMicros;
        private long _quietFromMicros;

        /// <summary>Opens the RMT channel on the STEP pin (idle low).</summary>
        /// <param name="stepGpio">STEP pin.</param>
        /// <param name="clock">The board clock (µs).</param>
        /// <param name="fault">The driver's fault line, or null (A4988: every emitted step counts as confirmed).</param>
        public Esp32RmtStepGenerator(int stepGpio, IMonotonicClock clock, IDigitalInput fault)
        {
            _stepGpio = stepGpio;
            _clock = clock;
            _fault = fault;
            _encoder = new RmtStepBlockEncoder(Esp32Settings.StepPulseHighMicros, Esp32Settings.StepMinLowMicros);
            _tracker = new RmtBlockTracker(_encoder);
            TransmitChannelSettings settings = new TransmitChannelSettings(-1, _stepGpio);
            settings.ClockDivider = 80; // 80 MHz APB / 80 = 1 µs per tick, the encoder's unit
            settings.NumberOfMemoryBlocks = 1; // 64 items: every block stays below it (see above)
            settings.EnableCarrierWave = false; // the package default is a 38 kHz IR carrier
            settings.EnableLooping = false;
            settings.EnableIdleLevelOutput = true;
            settings.IdleLevel = false;
            _channel = new TransmitterChannel(settings);
        }

        /// <inheritdoc />
        public int MaxBlockSteps
        {
            get { return Esp32Settings.MaxBlockSteps < Esp32Settings.MaxRmtItems ? Esp32Settings.MaxBlockSteps : Esp32Settings.MaxRmtItems; }
        }

        /// <inheritdoc />
        public bool IsOutputQuiet
        {
            get
            {
                lock (_lock)
                {
                    return _clock.NowMicros >= _quietFromMicros;
                }
            }
        }

        /// <inheritdoc />
        public int PendingSteps
        {
            get
            {
                lock (_lock)
                {
                    long now = _clock.NowMicros;
                    _tracker.Update(now, true); // by time alone: IsChannelIdle says nothing about the end
                    return _tracker.PendingSteps(now);
                }
            }
        }

        /// <inheritdoc />
        public long ConfirmedSteps
        {
            get
            {
                lock (_lock)
                {
                    long now = _clock.NowMicros;
                    _tracker.Update(now, true);
                    return _confirmation.Observe(_tracker.EmittedSteps(now), _fault != null && _fault.IsAsserted);
                }
            }
        }

        /// <inheritdoc />
        public bool TryIssue(int steps, int intervalMicros)
        {
            lock (_lock)
            {
                long now = _clock.NowMicros;
                _tracker.Update(now, true);
                if (_tracker.IsActive || now < _quietFromMicros || steps < 1 || steps > MaxBlockSteps)
                {
                    return false;
                }

                int count = _encoder.ItemsFor(steps, intervalMicros);
                if (count < 1 || count > Esp32Settings.MaxRmtItems)
                {
                    return false;
                }

                // One array per block size (SendData sends the whole array); blocks at the
                // maximum rate repeat the same size, so this rarely allocates.
                if (_items.Length != count * RmtStepBlockEncoder.BytesPerItem)
                {
                    _items = new byte[count * RmtStepBlockEncoder.BytesPerItem];
                }

                _encoder.Encode(steps, intervalMicros, _items);
                _channel.SendData(_items, false);
                long started = _clock.NowMicros; // after the native call: the real start is no later
                _tracker.Start(steps, intervalMicros, started);
                _blockEndMicros = started + _encoder.BlockDurationMicros(steps, intervalMicros);
                return true;
            }
        }

        /// <inheritdoc />
        public void Abort()
        {
            lock (_lock)
            {
                long now = _clock.NowMicros;
                _tracker.Abort(now);
                if (_blockEndMicros > now)
                {
                    // The block keeps running on STEP until its end marker (no stop in the API).
                    _quietFromMicros = _blockEndMicros + QuietMarginMicros;
                }
            }
        }
    }
}
