# Texts for staff: notices in the staff chat and staff commands.

staff-help =
    Для сотрудников:
    /today — записи на сегодня
    /tomorrow — записи на завтра
staff-new-booking =
    Новая запись
    { $service }, { $specialist } { $master }
    { $when }, { $price }
    Клиент: { $client }, { $phone }
    Источник: { $source }
staff-answer-line = { $question } — { $answer }
staff-cancelled =
    Клиент отменил запись
    { $service }, { $specialist } { $master }
    { $when }
    Клиент: { $client }, { $phone }
staff-cancelled-forgotten =
    Запись отменена: клиент удалил свои данные
    { $service }, { $specialist } { $master }
    { $when }
source-direct = напрямую
unknown-value = —
today-title = { $count ->
        [0] { $day }: записей нет
        [one] { $day }: { $count } запись
        [few] { $day }: { $count } записи
       *[many] { $day }: { $count } записей
    }
today-line = { $time } — { $service }, { $master }. { $client }, { $phone }
