//! The business file (`data/*.toml`): what the owner writes, as typed data.
//! It is read once at start and validated by `validate`; the bot never rewrites it.

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::domain::ids::{ChatKey, MasterId, ServiceId, UserKey};
use crate::domain::money::Money;

/// The whole business file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Business {
    pub business: About,
    pub booking: BookingRules,
    pub staff: Staff,
    #[serde(default)]
    pub questions: Vec<Question>,
    pub services: Vec<Service>,
    pub masters: Vec<Master>,
    #[serde(default)]
    pub backup: BackupPlan,
}

/// Who the business is and where.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct About {
    pub name: String,
    /// `salon`, `clinic`, `fitness`: only for people and reports.
    pub kind: String,
    pub timezone: Tz,
    pub address: String,
    /// The number clients are asked to call (late cancels), as the owner wants it printed.
    pub phone: String,
    /// The page with the personal-data policy the consent text links to.
    pub privacy_url: String,
    /// Stored with each consent, so a changed policy can be told apart from the old one.
    pub consent_version: String,
    /// What clients call the people they book with, in the nominative: «мастер», «врач»,
    /// «тренер». Shown as «Любой мастер», «Стрижка, мастер Анна».
    #[serde(default = "default_specialist")]
    pub specialist: String,
}

fn default_specialist() -> String {
    "мастер".to_string()
}

/// The booking rules every slot and every booking is checked against.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookingRules {
    /// Start times are multiples of this from the start of the working interval.
    pub slot_step_minutes: u32,
    /// Kept free after each service; may run past closing or into a break.
    pub buffer_minutes: u32,
    /// How far ahead of now the earliest bookable start is.
    pub min_notice_minutes: u32,
    /// Local calendar days offered, today included.
    pub horizon_days: u32,
    /// Inside this many hours before the start the client is asked to call instead of cancelling.
    pub late_cancel_hours: u32,
    /// How many booked or confirmed future visits one client may hold at once.
    pub max_active_per_client: u32,
    /// A lead with no booking closes after this many idle days.
    pub lead_idle_days: u32,
}

/// Staff are recognised by their Telegram user id, never by the chat they write in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    /// The chat where new bookings and cancellations are posted.
    pub chat_id: ChatKey,
    pub owners: Vec<UserKey>,
    #[serde(default)]
    pub managers: Vec<UserKey>,
}

/// One of the business's own qualifying questions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
    /// Offered as buttons; may be empty when only a free answer makes sense.
    #[serde(default)]
    pub options: Vec<String>,
    /// Whether a typed answer is accepted besides the buttons.
    #[serde(default)]
    pub free_answer: bool,
    /// A few words for the staff notice («Пожелания»), where the whole question, written for
    /// the client, would crowd the answer; without it the notice quotes the question.
    #[serde(default)]
    pub label: Option<String>,
}

/// A service with its default duration and price.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: ServiceId,
    pub name: String,
    pub duration_minutes: u32,
    pub price_rub: u32,
    /// Group classes: how many people one slot takes. Absent means one client per slot.
    /// Seats are not sold yet; the field is read so fitness files keep their shape.
    #[serde(default)]
    pub seats: Option<u32>,
}

/// A master (doctor, trainer): what they do and when they work.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Master {
    pub id: MasterId,
    pub name: String,
    /// The services this master performs.
    pub services: Vec<ServiceId>,
    /// A master's own price or duration for some services.
    #[serde(default)]
    pub overrides: Vec<ServiceOverride>,
    pub week: WeekHours,
    /// Dated changes: a day off, or other hours on that date.
    #[serde(default)]
    pub exceptions: Vec<DayException>,
}

/// A master's own price or duration for one service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceOverride {
    pub service: ServiceId,
    #[serde(default)]
    pub price_rub: Option<u32>,
    #[serde(default)]
    pub duration_minutes: Option<u32>,
}

/// Hours for each weekday; a missing day is a day off.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeekHours {
    pub mon: Option<DayHours>,
    pub tue: Option<DayHours>,
    pub wed: Option<DayHours>,
    pub thu: Option<DayHours>,
    pub fri: Option<DayHours>,
    pub sat: Option<DayHours>,
    pub sun: Option<DayHours>,
}

/// One working day: opening, closing and breaks (lunch), all local times.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayHours {
    pub open: NaiveTime,
    pub close: NaiveTime,
    #[serde(default)]
    pub breaks: Vec<Interval>,
}

/// A local time interval `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    pub from: NaiveTime,
    pub to: NaiveTime,
}

/// A dated exception: `hours` absent means the master does not work that day.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayException {
    pub date: NaiveDate,
    #[serde(default)]
    pub hours: Option<DayHours>,
}

/// When the running bot writes a backup of the store.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupPlan {
    /// A 6-field cron line (seconds first), in the business's time zone.
    pub cron: String,
    /// How many backup files to keep in `<data dir>/backups`.
    pub keep: usize,
}

impl Default for BackupPlan {
    fn default() -> Self {
        BackupPlan { cron: "0 0 4 * * *".to_string(), keep: 7 }
    }
}

impl Business {
    pub fn service(&self, id: &ServiceId) -> Option<&Service> {
        self.services.iter().find(|s| &s.id == id)
    }

    pub fn master(&self, id: &MasterId) -> Option<&Master> {
        self.masters.iter().find(|m| &m.id == id)
    }

    /// Masters who perform a service, in file order.
    pub fn masters_for(&self, service: &ServiceId) -> impl Iterator<Item = &Master> {
        self.masters.iter().filter(move |m| m.services.contains(service))
    }

    /// Whether this Telegram user is an owner or a manager.
    pub fn is_staff(&self, user: UserKey) -> bool {
        self.staff.owners.contains(&user) || self.staff.managers.contains(&user)
    }

    /// What this master charges and how long it takes: the override if any, else the default.
    pub fn terms(&self, master: &Master, service: &Service) -> Terms {
        let own = master.overrides.iter().find(|o| o.service == service.id);
        let price = own.and_then(|o| o.price_rub).unwrap_or(service.price_rub);
        let minutes = own.and_then(|o| o.duration_minutes).unwrap_or(service.duration_minutes);
        Terms { price: Money::from_rubles(i64::from(price)), minutes }
    }
}

/// A master's price and duration for one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub price: Money,
    pub minutes: u32,
}
