def test_a_form_may_have_its_own_pay_cut_off_day() -> None:
    from datetime import date as day

    from eforms.core.desk.service_levels import PayCalendar, pay_period

    assert pay_period(day(2027, 3, 5), PayCalendar(5)) == "2027-03"  # negotiated pay: by the 5th, this month
    assert pay_period(day(2027, 3, 6), PayCalendar(5)) == "2027-04"
    assert pay_period(day(2027, 3, 8)) == "2027-03"  # the centre's default cut-off, the 8th
    assert pay_period(day(2027, 12, 9)) == "2028-01"
