# Texts for staff: notices in the staff chat and staff commands.

staff-help =
    Для сотрудников:
    /today — записи на сегодня
staff-new-booking =
    Новая запись
    { $service }, мастер { $master }
    { $when }, { $price }
    Клиент: { $client }, { $phone }
    Источник: { $source }
staff-answer-line = { $question } — { $answer }
staff-cancelled =
    Клиент отменил запись
    { $service }, мастер { $master }
    { $when }
    Клиент: { $client }, { $phone }
staff-cancelled-forgotten =
    Запись отменена: клиент удалил свои данные
    { $service }, мастер { $master }
    { $when }
source-direct = напрямую
unknown-value = —
today-title = { $day }: { $count } { $count ->
        [one] запись
        [few] записи
       *[many] записей
    }
today-line = { $time } — { $service }, { $master }. { $client }, { $phone }
