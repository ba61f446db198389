//! The one integration test binary of okno: every end-to-end test is a module here.

#[allow(
    dead_code,
    unused_imports,
    reason = "each test module uses only part of the shared support code"
)]
mod support;

mod binary;
mod bot_api_fake;
mod crash_run;
mod dialog_records;
mod dialog_times;
mod dialogs;
mod fault_run;
mod fuzz_run;
mod telegram_booking;
mod telegram_fixtures;
mod telegram_polling;
mod telegram_stop;
