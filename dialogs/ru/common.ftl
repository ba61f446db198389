## Texts shared by every dialog: dates, counts and the answer to anything that went wrong.
## A line starting with "#" explains the message below it; { $name } is filled in by the bot.

# Short weekday names, Monday first, as in «пт, 4 декабря».
weekday-short-1 = пн
weekday-short-2 = вт
weekday-short-3 = ср
weekday-short-4 = чт
weekday-short-5 = пт
weekday-short-6 = сб
weekday-short-7 = вс

# Month names in the genitive case, as in «4 декабря».
month-gen-1 = января
month-gen-2 = февраля
month-gen-3 = марта
month-gen-4 = апреля
month-gen-5 = мая
month-gen-6 = июня
month-gen-7 = июля
month-gen-8 = августа
month-gen-9 = сентября
month-gen-10 = октября
month-gen-11 = ноября
month-gen-12 = декабря

# A day: $weekday is a short weekday, $day the day of the month, $month a month name above.
day-label = { $weekday }, { $day } { $month }

# A day and a time: $day is a day label, $time is like 14:30.
moment-label = { $day }, { $time }

# $count is a number: the form of the word follows it.
reminders-count =
    { $count ->
        [one] { $count } напоминание
        [few] { $count } напоминания
        [many] { $count } напоминаний
       *[other] { $count } напоминания
    }
