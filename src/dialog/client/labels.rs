//! Button labels that depend only on the business file and the texts: the service list and
//! each service's specialist list. Both are fixed while okno runs, so they are formatted once,
//! on first use; formatting thirty Fluent messages for every booking was a tenth of a turn.

use crate::dialog::engine::Engine;
use crate::domain::ids::ServiceId;
use crate::domain::money::Money;

/// What the service and specialist screens show, by the file's order.
pub(crate) struct Labels {
    services: Vec<ServiceLabels>,
}

/// One service's buttons.
pub(crate) struct ServiceLabels {
    id: ServiceId,
    /// «Стрижка · от 1 500 ₽»; `None` when no specialist does the service.
    button: Option<String>,
    /// The question above the specialists, naming the service.
    pub prompt: String,
    /// (index of the specialist in the file, «Анна · 1 800 ₽»), in file order.
    pub specialists: Vec<(usize, String)>,
    /// «Любой мастер · от 1 500 ₽», when there is a choice.
    pub anyone: Option<String>,
}

impl Labels {
    pub(crate) fn new(engine: &Engine) -> Labels {
        let biz = &engine.biz;
        let services = biz.services.iter().map(|service| {
            let masters: Vec<(usize, Money, &str)> = biz
                .masters
                .iter()
                .enumerate()
                .filter(|(_, m)| m.services.contains(&service.id))
                .map(|(n, m)| (n, biz.terms(m, service).price, m.name.as_str()))
                .collect();
            let prices: Vec<Money> = masters.iter().map(|(_, price, _)| *price).collect();
            let price = price_label(engine, &prices);

            let specialists = masters
                .iter()
                .map(|(n, price, name)| {
                    let args = [("master", (*name).into()), ("price", price.to_string().into())];
                    (*n, engine.tf("master-button", &args))
                })
                .collect::<Vec<_>>();
            let anyone = (specialists.len() > 1).then(|| {
                let args = [("price", price.clone().unwrap_or_default().into())];
                engine.tf("any-master-button", &args)
            });
            let button = price.map(|price| {
                let args = [("service", service.name.clone().into()), ("price", price.into())];
                engine.tf("service-button", &args)
            });
            let prompt = engine.tf("choose-master", &[("service", service.name.clone().into())]);
            ServiceLabels { id: service.id.clone(), button, prompt, specialists, anyone }
        });
        Labels { services: services.collect() }
    }

    /// (index of the service in the file, its button) for every service someone does.
    pub(crate) fn service_buttons(&self) -> impl Iterator<Item = (usize, &str)> {
        let buttons = self.services.iter().map(|s| s.button.as_deref()).enumerate();
        buttons.filter_map(|(n, button)| Some((n, button?)))
    }

    /// What the specialist screen of one service shows.
    pub(crate) fn of(&self, service: &ServiceId) -> Option<&ServiceLabels> {
        self.services.iter().find(|s| &s.id == service)
    }
}

/// «1 800 ₽» when every master charges the same, «от 1 500 ₽» otherwise; `None` with no master.
pub(crate) fn price_label(engine: &Engine, prices: &[Money]) -> Option<String> {
    let min = prices.iter().min()?;
    let max = prices.iter().max()?;
    if min == max {
        return Some(min.to_string());
    }
    Some(engine.tf("price-from", &[("price", min.to_string().into())]))
}
