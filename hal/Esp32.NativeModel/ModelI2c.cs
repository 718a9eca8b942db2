// Model of nanoFramework.System.Device.I2c 1.1.29 over nf-interpreter's ESP32 I2C natives
// (targets/ESP32/_nanoCLR/System.Device.I2c/sys_dev_i2c_native_System_Device_I2c_I2cDevice.cpp,
// "I2cDevice.cpp" below), with a DS3231 real-time clock on the bus when the rig fits one.
//  - A transfer to an address nobody acknowledges returns SlaveAddressNotAcknowledged, it does
//    not throw (I2cDevice.cpp:278-283); a stuck bus times out after 1000 ms
//    (i2c_master_cmd_begin(bus, cmd, 1000 / portTICK_PERIOD_MS), :262) and returns
//    ClockStretchTimeout (:285-287): the caller is held for that second.
//  - The DS3231 (Maxim/Analog Devices datasheet): registers 0x00-0x06 hold seconds, minutes,
//    hours, day, date, month/century and year in BCD; bit 7 of the status register 0x0F (OSF)
//    is set when the oscillator stopped (first power, flat battery) and stays set until
//    written 0. Register pointer auto-increments.
using System;
using PumpFirmware.Esp32.NativeModel;

namespace System.Device.I2c
{
    public enum I2cBusSpeed
    {
        StandardMode,
        FastMode,
        FastModePlus,
    }

    public enum I2cTransferStatus
    {
        UnknownError,
        FullTransfer,
        ClockStretchTimeout,
        PartialTransfer,
        SlaveAddressNotAcknowledged,
    }

    public struct I2cTransferResult
    {
        private readonly uint _bytesTransferred;
        private readonly I2cTransferStatus _status;

        internal I2cTransferResult(I2cTransferStatus status, uint bytes)
        {
            _status = status;
            _bytesTransferred = bytes;
        }

        public uint BytesTransferred { get { return _bytesTransferred; } }

        public I2cTransferStatus Status { get { return _status; } }
    }

    public sealed class I2cConnectionSettings
    {
        private readonly int _busId;
        private readonly int _deviceAddress;
        private readonly I2cBusSpeed _busSpeed;

        public I2cConnectionSettings(int busId, int deviceAddress) : this(busId, deviceAddress, I2cBusSpeed.FastMode)
        {
        }

        public I2cConnectionSettings(int busId, int deviceAddress, I2cBusSpeed busSpeed)
        {
            _busId = busId;
            _deviceAddress = deviceAddress;
            _busSpeed = busSpeed;
        }

        public int BusId { get { return _busId; } }

        public int DeviceAddress { get { return _deviceAddress; } }

        public I2cBusSpeed BusSpeed { get { return _busSpeed; } }
    }

    public class I2cDevice : IDisposable
    {
        private readonly I2cConnectionSettings _settings;

        public I2cDevice(I2cConnectionSettings settings)
        {
            _settings = settings;
        }

        public static I2cDevice Create(I2cConnectionSettings settings)
        {
            return new I2cDevice(settings);
        }

        public I2cConnectionSettings ConnectionSettings { get { return _settings; } }

        public I2cTransferResult WriteRead(SpanByte writeBuffer, SpanByte readBuffer)
        {
            byte[] write = new byte[writeBuffer.Length];
            for (int i = 0; i < write.Length; i++)
            {
                write[i] = writeBuffer[i];
            }

            byte[] read = new byte[readBuffer.Length];
            I2cTransferResult result = NativeBoard.I2cTransfer(_settings.BusId, _settings.DeviceAddress, write, read);
            for (int i = 0; i < read.Length; i++)
            {
                readBuffer[i] = read[i];
            }

            return result;
        }

        public I2cTransferResult Write(SpanByte buffer)
        {
            return WriteRead(buffer, new SpanByte(new byte[0]));
        }

        public void Dispose()
        {
        }
    }
}

namespace PumpFirmware.Esp32.NativeModel
{
    using System.Device.I2c;

    public static partial class NativeBoard
    {
        /// <summary>DS3231 bus address (datasheet).</summary>
        public const int Ds3231Address = 0x68;

        private static bool s_rtcFitted;
        private static bool s_rtcStuck;
        private static readonly byte[] s_rtcRegisters = new byte[0x13];
        private static long s_rtcSecondsAtZero;

        private static void ResetRtc()
        {
            s_rtcFitted = false;
            s_rtcStuck = false;
            Array.Clear(s_rtcRegisters, 0, s_rtcRegisters.Length);
            s_rtcSecondsAtZero = 0;
        }

        /// <summary>Fits a DS3231 on I2C1 showing <paramref name="secondsSince2000"/> at board time 0,
        /// with its oscillator-stop flag as given (true: battery was flat, time invalid).</summary>
        public static void FitRtc(long secondsSince2000, bool oscillatorStopped)
        {
            lock (Sync)
            {
                s_rtcFitted = true;
                s_rtcSecondsAtZero = secondsSince2000;
                s_rtcRegisters[0x0F] = (byte)(oscillatorStopped ? 0x80 : 0x00);
            }
        }

        /// <summary>Holds SDA low (a stuck bus): every transfer times out after 1000 ms.</summary>
        public static void JamI2c()
        {
            lock (Sync)
            {
                s_rtcStuck = true;
            }
        }

        /// <summary>The DS3231's count now, seconds since 2000-01-01.</summary>
        public static long RtcSecondsNow()
        {
            lock (Sync)
            {
                return s_rtcSecondsAtZero + (s_now / 1000000);
            }
        }

        /// <summary>The DS3231's oscillator-stop flag.</summary>
        public static bool RtcOscillatorStopFlag()
        {
            lock (Sync)
            {
                return (s_rtcRegisters[0x0F] & 0x80) != 0;
            }
        }

        internal static I2cTransferResult I2cTransfer(int bus, int address, byte[] write, byte[] read)
        {
            bool stuck;
            lock (Sync)
            {
                stuck = s_rtcStuck;
                Log("I2cDevice.WriteRead " + address + " w" + write.Length + " r" + read.Length);
            }

            if (stuck)
            {
                Advance(1000000);
                return new I2cTransferResult(I2cTransferStatus.ClockStretchTimeout, 0);
            }

            lock (Sync)
            {
                if (bus != 1 || address != Ds3231Address || !s_rtcFitted || FunctionPin(0x00020100) < 0 || FunctionPin(0x00020101) < 0)
                {
                    return new I2cTransferResult(I2cTransferStatus.SlaveAddressNotAcknowledged, 0);
                }

                RtcLatch();
                if (write.Length == 0)
                {
                    return new I2cTransferResult(I2cTransferStatus.FullTransfer, 0);
                }

                int pointer = write[0];
                for (int i = 1; i < write.Length; i++)
                {
                    RtcWrite(pointer++, write[i]);
                }

                for (int i = 0; i < read.Length; i++)
                {
                    read[i] = s_rtcRegisters[(pointer++) % s_rtcRegisters.Length];
                }

                return new I2cTransferResult(I2cTransferStatus.FullTransfer, (uint)(write.Length + read.Length));
            }
        }

        private static void RtcWrite(int register, byte value)
        {
            if (register <= 0x06)
            {
                s_rtcRegisters[register] = value;
                s_rtcSecondsAtZero = RtcRegistersToSeconds() - (s_now / 1000000);
            }
            else if (register < s_rtcRegisters.Length)
            {
                s_rtcRegisters[register] = value;
            }
        }

        private static void RtcLatch()
        {
            long s = s_rtcSecondsAtZero + (s_now / 1000000);
            long days = s / 86400;
            long rem = s % 86400;
            s_rtcRegisters[0] = Bcd(rem % 60);
            s_rtcRegisters[1] = Bcd((rem / 60) % 60);
            s_rtcRegisters[2] = Bcd(rem / 3600);
            DateTime date = new DateTime(2000, 1, 1).AddDays(days);
            s_rtcRegisters[3] = (byte)((int)date.DayOfWeek + 1);
            s_rtcRegisters[4] = Bcd(date.Day);
            s_rtcRegisters[5] = (byte)(Bcd(date.Month) | (date.Year >= 2100 ? 0x80 : 0));
            s_rtcRegisters[6] = Bcd(date.Year % 100);
        }

        private static long RtcRegistersToSeconds()
        {
            int year = 2000 + FromBcd(s_rtcRegisters[6]) + ((s_rtcRegisters[5] & 0x80) != 0 ? 100 : 0);
            int month = FromBcd((byte)(s_rtcRegisters[5] & 0x1F));
            int day = FromBcd(s_rtcRegisters[4]);
            long days = (long)(new DateTime(year, month, day) - new DateTime(2000, 1, 1)).TotalDays;
            return (days * 86400) + (FromBcd((byte)(s_rtcRegisters[2] & 0x3F)) * 3600) + (FromBcd(s_rtcRegisters[1]) * 60) + FromBcd(s_rtcRegisters[0]);
        }

        private static byte Bcd(long value)
        {
            return (byte)(((value / 10) << 4) | (value % 10));
        }

        private static int FromBcd(byte value)
        {
            return ((value >> 4) * 10) + (value & 0x0F);
        }
    }
}
