"""Deaths and injuries: counts on victim phrases, headline lists, tolls without an attack word,
and one toll for a bulletin of headlines. The sentences are our own."""
from communique import extract
from communique.casualties import best_toll


def assaults(text, published="2024-05-10"):
    return [e for e in extract(text, published) if e.type == "ASSAULT" and not e.hypothetical]


def deaths(text, published="2024-05-10"):
    return {e.fatalities for e in assaults(text, published)}


def test_comma_list_of_counted_victims_adds_up():
    assert deaths("Police officer, 4 gunmen killed in shootout in northern Mali") == {5}
    assert deaths("Airstrike kills rebel commander, 3 others in Idlib") == {4}
    assert deaths("Two policemen, 9 bandits killed in clash in Zamfara") == {11}


def test_apposition_that_restates_is_not_added():
    # the cameraman and the driver are the two journalists
    assert deaths("Two journalists, a cameraman and his driver, were killed in Gaza.") != {4}


def test_to_death_reports_a_death():
    assert deaths("A shopkeeper was beaten to death by militiamen in Bunia on Monday.") == {1}


def test_a_count_of_dead_and_wounded_is_no_death_toll():
    assert deaths("About 30 were killed and wounded in shelling of Kharkiv on Sunday.") == {None}
    # each count of its own stays: one dead, four hurt
    assert deaths("One soldier killed, four wounded in roadside bombing in Kandahar") == {1}


def test_a_second_count_with_its_own_verb_is_not_added():
    assert deaths("1 guard killed, 4 others wounded in attack in Mogadishu") == {1}
    # "wounds" here is the second verb of the headline, with its own count
    assert deaths("Roadside bomb kills 3, wounds 7 in Kandahar") == {3}


def test_dozen_alone_is_twelve():
    assert deaths("Airstrikes kill dozen fighters in Yemen's Saada province") == {12}


def test_a_toll_with_a_killing_verb_and_no_place_is_an_attack():
    (e,) = assaults("More than 80 people were killed yesterday, including 20 members of the army.")
    assert e.fatalities == 80 and e.date == "2024-05-09"


def test_deaths_among_fighters_are_violent_without_an_attack_word():
    (e,) = assaults("112 died on Tuesday, including 40 rebel fighters and government troops.")
    assert e.fatalities == 112


def test_a_death_with_no_violence_is_no_event():
    assert assaults("The former prime minister died in hospital on Tuesday.") == []


def test_a_running_toll_is_no_event():
    assert assaults("The two sides met in Geneva, in a conflict that has killed more than 9,000 people.") == []


def test_title_case_death_headline():
    assert deaths("At Least 3 People Are Confirmed Dead After Blast In Market") == {3}


def test_best_toll_is_the_most_frequent_then_the_first():
    assert best_toll([22, 22, 21, 25, 25, 22]) == 22
    assert best_toll([10, 20, 16]) == 10
    assert best_toll([]) is None


def test_a_tollless_headline_in_a_bulletin_takes_the_shared_toll():
    text = ("Gunmen attack police station in Nigeria's Zamfara state\n"
            "Bandits kill 7 policemen in Zamfara\n"
            "Seven policemen killed in Zamfara attack")
    events = assaults(text)
    assert events and all(e.fatalities == 7 for e in events)


def test_a_toll_of_a_disaster_or_an_accident_is_no_event():
    assert assaults("Sixty people died in mudslides above Bukavu on Tuesday.") == []
    assert assaults("Forty-eight passengers died when a ferry capsized on Lake Kivu.") == []
    # a word of violence keeps it an attack, whatever the weather
    assert deaths("Twelve soldiers died when their convoy hit a landmine after heavy rain near Mopti.") == {12}
    # the hazard's own verb is no attack word ("an earthquake struck"); an attacker's is
    assert assaults("A strong earthquake struck western Nepal overnight, killing at least 150 people.") == []
    assert deaths("Gunmen struck a market in Gao after the floods, killing 14 people.") == {14}


def test_a_wars_whole_toll_tells_no_attack():
    from communique.casualties import no_attack
    from communique.parse import nlp

    def told(text):
        sent = next(nlp()(text).sents)
        word = next(t for t in sent if t.lemma_ == "kill")
        return no_attack(word, sent, set())

    assert told("The civil war, which ended in 2003, killed an estimated 250,000 people.")
    assert told("The war killed some two million people over a decade.")
    assert not told("Rebels killed nine villagers near Beni on Sunday.")


def test_the_kill_rule_codes_no_disaster_in_any_coder():
    # the combined coder's tagger vets the "kill" rule; the rules coder alone must not need it
    from communique.learned import configure, settings

    before = settings().mode
    try:
        for mode in ("rules", "combined"):
            configure(mode=mode)
            assert assaults("Mudslides above Bukavu have killed at least 60 people, the governor said.") == []
            assert deaths("Rebels killed nine villagers near Beni on Sunday, the army said.") == {9}
    finally:
        configure(mode=before)
