// The ESP32-DevKitC (ESP32-WROOM-32) pin assignment as code. hardware/pinmap.csv is the same
// table for people; tests/PumpFirmware.Esp32.Tests reads both and fails if they disagree, if a
// pin is used twice within one build variant, or if a rule below is broken:
//  - GPIO6-11 drive the module's flash: never used.
//  - GPIO34-39 are input only, with no internal pull-ups: inputs with external pull-ups only.
//  - GPIO0, 2, 5, 12, 15 are strapping pins read at reset: not used, so no wiring can change
//    how the chip boots (GPIO12 high at reset would select the wrong flash voltage).
//  - GPIO1/3 are UART0, which nanoFramework uses for debugging and deployment.
// Outputs that enable the motor have an external resistor that holds the power stage off while
// the ESP32 is in reset and its pins float: the fail-closed guarantee does not depend on code.
namespace PumpFirmware.Hal.Esp32
{
    /// <summary>GPIO numbers of every signal, per build variant (stepper or DC head) and common.</summary>
    public static class PinMap
    {
        /// <summary>Protocol UART (COM2) TX, output.</summary>
        public const int UartTxGpio = 17;

        /// <summary>Protocol UART (COM2) RX, input.</summary>
        public const int UartRxGpio = 16;

        /// <summary>Piezo buzzer (through a transistor), LEDC output.</summary>
        public const int BuzzerGpio = 18;

        /// <summary>Occlusion switch, input, active low, pull-up.</summary>
        public const int OcclusionGpio = 32;

        /// <summary>Battery supervisor output, input, active low (low battery), pull-up.</summary>
        public const int BatteryLowGpio = 33;

        /// <summary>Battery voltage through a 1:2 divider (R10/R11), ADC1 channel 3 ("VN"), input only pin, analog.</summary>
        public const int BatteryVoltageGpio = 39;

        /// <summary>Build A: pressure sensor output through a 1:2 divider (R12/R13), ADC1 channel 0 ("VP"), input only
        /// pin, analog.</summary>
        public const int PressureGpio = 36;

        /// <summary>Build B: the same pressure input on ADC1 channel 6 (GPIO36 is the encoder there), input only pin, analog.</summary>
        public const int DcPressureGpio = 34;

        /// <summary>Stepper driver STEP, RMT output.</summary>
        public const int StepperStepGpio = 25;

        /// <summary>Stepper driver DIR, output.</summary>
        public const int StepperDirGpio = 26;

        /// <summary>Stepper driver ENABLE (active low; 10 kΩ pull-up to 3V3 holds it disabled at reset), output.</summary>
        public const int StepperEnableGpio = 27;

        /// <summary>Stepper driver fault (DRV8825 nFAULT, active low; TMC2209 DIAG, active high), input only pin.</summary>
        public const int StepperFaultGpio = 34;

        /// <summary>STEP looped back (jumper) into the PCNT for the LEDC+PCNT step path, input only pin.</summary>
        public const int StepperStepSenseGpio = 35;

        /// <summary>DC head: H-bridge PWM (TB6612 PWMA), LEDC output.</summary>
        public const int DcPwmGpio = 25;

        /// <summary>DC head: H-bridge IN1 (TB6612 AIN1), output.</summary>
        public const int DcIn1Gpio = 26;

        /// <summary>DC head: H-bridge IN2 (TB6612 AIN2), output.</summary>
        public const int DcIn2Gpio = 27;

        /// <summary>DC head: TB6612 STBY (10 kΩ pull-down holds standby at reset), output.</summary>
        public const int DcStandbyGpio = 4;

        /// <summary>DC head: encoder channel A, counted by PCNT, input only pin.</summary>
        public const int DcEncoderAGpio = 36;

        /// <summary>Optional DS3231 RTC module: I2C1 SDA (the module's 4.7 kΩ pull-ups to 3V3).</summary>
        public const int RtcSdaGpio = 21;

        /// <summary>Optional DS3231 RTC module: I2C1 SCL.</summary>
        public const int RtcSclGpio = 22;
    }
}
