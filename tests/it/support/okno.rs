//! okno itself under test: an engine on the sample salon with a clock the test sets, a person
//! who chats with that engine, and the Telegram bot running against the fake Bot API.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use okno::clock::ManualClock;
use okno::config::load::load_business;
use okno::dialog::{Engine, Incoming, Input, Outbox};
use okno::domain::ids::{ChatKey, UserKey};
use okno::store::Store;
use tokio::task::JoinHandle;

use super::bot_api::FakeBotApi;

pub const SALON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/salon.toml");
/// `staff.chat_id` of the sample salon.
pub const STAFF_CHAT: i64 = -1_002_345_678_901;
/// The salon's owner (`staff.owners[0]`).
pub const OWNER: u64 = 401_234_567;

/// Thursday 3 December 2026, 09:00 in Krasnoyarsk.
pub fn thursday_morning() -> DateTime<Utc> {
    "2026-12-03T02:00:00Z".parse().expect("a valid moment")
}

/// An engine on the sample salon, its store in `dir`, its clock stopped at `now`.
pub fn salon_engine(dir: &Path, now: DateTime<Utc>) -> Arc<Engine> {
    salon_engine_with_clock(dir, now).0
}

/// The same, with the clock, for tests that move time.
pub fn salon_engine_with_clock(dir: &Path, now: DateTime<Utc>) -> (Arc<Engine>, Arc<ManualClock>) {
    let biz = load_business(Path::new(SALON)).expect("the sample salon loads");
    let texts = okno::app::load_texts(None).expect("built-in texts pass the check");
    let store = Store::open(dir).expect("the store opens");
    let clock = Arc::new(ManualClock::new(now));
    let engine = Engine::new(Arc::new(biz), Arc::new(texts), store, Arc::clone(&clock) as _);
    (Arc::new(engine), clock)
}

/// Someone chatting with the engine directly, as a transport would pass their inputs.
pub struct Person<'a> {
    engine: &'a Engine,
    chat: i64,
    user: u64,
    pub last: Outbox,
}

impl<'a> Person<'a> {
    pub fn new(engine: &'a Engine, chat: i64) -> Self {
        Person { engine, chat, user: chat.unsigned_abs(), last: Outbox::default() }
    }

    pub fn speaking_as(mut self, user: u64) -> Self {
        self.user = user;
        self
    }

    pub fn send(&mut self, input: Input) -> &Outbox {
        let incoming = Incoming { chat: ChatKey(self.chat), user: Some(UserKey(self.user)), input };
        self.last = self.engine.handle(incoming);
        &self.last
    }

    pub fn say(&mut self, text: &str) -> &Outbox {
        self.send(Input::from_text(text))
    }

    /// Presses the button with this label among the last replies; panics listing those there.
    pub fn press(&mut self, label: &str) -> &Outbox {
        let data = self.button_data(label);
        self.send(Input::Button(data))
    }

    pub fn button_data(&self, label: &str) -> String {
        let buttons: Vec<_> =
            self.last.replies.iter().flat_map(|s| s.buttons.iter().flatten()).collect();
        match buttons.iter().find(|b| b.label == label) {
            Some(button) => button.data.clone(),
            None => {
                let labels: Vec<_> = buttons.iter().map(|b| b.label.as_str()).collect();
                panic!("no button {label:?}; the last replies offer {labels:?}")
            }
        }
    }

    /// The texts of the last replies.
    pub fn texts(&self) -> Vec<String> {
        self.last.replies.iter().map(|s| s.text.clone()).collect()
    }

    /// The labels of the last reply's buttons, row by row.
    pub fn labels(&self) -> Vec<Vec<String>> {
        let Some(screen) = self.last.replies.last() else { return Vec::new() };
        screen.buttons.iter().map(|row| row.iter().map(|b| b.label.clone()).collect()).collect()
    }

    /// A first-time client's way to the summary of a women's haircut with Anna at `time`.
    pub fn reach_haircut_summary(&mut self, day: &str, time: &str, name: &str, phone: &str) {
        self.say("/start");
        self.press("Да, впервые");
        self.press("Пожеланий нет");
        self.haircut_from_services(day, time, name, phone);
    }

    /// From the list of services to the summary, as in [`Person::reach_haircut_summary`].
    pub fn haircut_from_services(&mut self, day: &str, time: &str, name: &str, phone: &str) {
        self.press("Женская стрижка · 1\u{a0}800\u{a0}₽");
        self.press("Анна Соколова · 1\u{a0}800\u{a0}₽");
        self.press(day);
        self.press(time);
        self.say(name);
        self.press("Даю согласие");
        self.say(phone);
    }

    /// The same, booked.
    pub fn book_haircut(&mut self, day: &str, time: &str, name: &str, phone: &str) -> &Outbox {
        self.reach_haircut_summary(day, time, name, phone);
        self.press("Записаться")
    }
}

/// okno's calls to the fake Bot API, not paced: the fake is not Telegram.
pub fn bot_api(api: &FakeBotApi) -> okno::telegram::BotApi {
    okno::telegram::BotApi::new(&api.bot(), 0)
}

/// okno's Telegram bot polling the fake Bot API.
pub struct RunningBot {
    stop: okno::telegram::Stop,
    task: JoinHandle<()>,
    notices: JoinHandle<()>,
}

const STOP_WAIT: Duration = Duration::from_secs(10);

impl RunningBot {
    pub fn spawn(api: &FakeBotApi, engine: Arc<Engine>) -> Self {
        Self::spawn_with(bot_api(api), api, engine)
    }

    /// With new messages paced to `sends_per_second`, as the binary does for Telegram.
    pub fn spawn_paced(api: &FakeBotApi, engine: Arc<Engine>, sends_per_second: u32) -> Self {
        Self::spawn_with(okno::telegram::BotApi::new(&api.bot(), sends_per_second), api, engine)
    }

    fn spawn_with(calls: okno::telegram::BotApi, api: &FakeBotApi, engine: Arc<Engine>) -> Self {
        let notices =
            tokio::spawn(okno::telegram::send_staff_notices(calls.clone(), Arc::clone(&engine)));
        let (polling, stop) = okno::telegram::polling(api.bot(), calls, engine);
        let task = tokio::spawn(polling.run());
        RunningBot { stop, task, notices }
    }

    /// Stops polling the way Ctrl-C does, and waits until the updates taken are handled.
    pub async fn stop(self) {
        self.stop.stop();
        self.notices.abort();
        let finished = tokio::time::timeout(STOP_WAIT, self.task).await;
        finished.expect("the polling task did not end").expect("the polling task panicked");
    }
}
