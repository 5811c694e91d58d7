// Whether two records name one person, as forces and their systems write people: HR keeps
// "O'Brien, Seán", PNC "OBRIEN SEAN", a declaration "Sean O Brien | Shaun Brien". The rules'
// same_person() and same_name() answer from what is below; nothing here knows about events
// or reference data. An id match is the caller's business (associated(), in_list()).
//
// THE ALGORITHM
//
// 1. Aliases. A name text may hold several names separated by '|' or ';'; two texts agree
//    when any name of one agrees with any name of the other.
//
// 2. Normalisation of one name, in order:
//    - UTF-8 folded to upper-case ASCII: accents dropped (é -> E, ö -> O, ñ -> N, ł -> L,
//      ø -> O), ligatures spelt out (ß -> SS, æ -> AE, œ -> OE, þ -> TH); other non-letters
//      separate words;
//    - apostrophes dropped (O'Brien -> OBRIEN), hyphens kept as barrels (Smith-Jones ->
//      SMITH + JONES; Jean-Paul -> two forenames);
//    - titles (MR, MRS, MS, MISS, MX, DR, PROF, SIR, DAME, LORD, LADY, REV, REVD) dropped;
//    - surname particles (O, MC, MAC, VAN, VON, DE, DA, DI, DU, DEL, DELLA, DER, DEN, LA, LE,
//      AL, EL, ST, TER, TEN) joined to the word after them, unless they are a name's first
//      word (a forename: Di Smith): O Brien = OBrien, Al-Hassan = Al Hassan = ALHASSAN.
//
// 3. Readings. "Surname, forenames" (a comma) has one reading. Without a comma a name is
//    read three ways and any reading may agree: forenames then the last word as surname
//    (John Paul Smith); forenames then the last two words as a double-barrelled surname
//    (Anna Smith Jones = Anna Smith-Jones); the first word as surname (SMITH John, as
//    records systems print it). A name needs a surname and a forename: "SMITH" alone
//    agrees with nothing.
//
// 4. Words are compared by spelling key, made for transliterations: C -> K (S before
//    E, I, Y), PH -> F, V -> F, Q -> K, X -> KS, Z -> S, J -> Y, Y -> I after the first letter,
//    H dropped unless it opens the word or stands between vowels (KH, CH, TH, SH, John,
//    Sarah), doubled letters single. Two words agree when
//    - their keys are equal (Stephen = Steven, Catherine = Katherine, Smith = Smyth,
//      John = Jon, Mohammed = Mohamed); or
//    - both keys have 5 or more letters, their consonants (the first letter and every
//      non-vowel after it) are the same, and at most one letter in three of the longer key
//      differs (Levenshtein): Muhammad = Mohammed, Yusuf = Youssef, Aleksandr = Alexander,
//      Mikhail = Michael, Katherine = Kathryn, MacDonald = McDonald;
//    - but never when one key is the other plus a final A or E (Paul/Paula,
//      Daniel/Danielle, Louis/Louise: different people, often twins).
//    Short keys must be equal, so short different names do not match: Ann/Ian, Jon/Joan,
//    Ann/Anne, Sean/Shaun (a known cost: give the other spelling as an alias).
//
// 5. Two readings agree when
//    - the surnames agree as one word (barrels joined: SMITHJONES), and
//    - the first forenames agree; middle names are optional and never compared.
//    With the dates of birth agreeing (same_person), three more tolerances apply:
//    - a forename may be an initial (J Smith = John Smith; "J." is J);
//    - either first forename may agree with a middle name of the other (a person known by
//      their middle name: James Robert Hartley = Robert Hartley);
//    - one barrel of a double-barrelled surname may stand for it (Smith-Jones = Jones, or
//      = Smith) when the first forenames agree in full (no initial).
//
// 6. Dates of birth: 1985-03-07, 1985/03/07, 19850307, 07/03/1985, 07.03.1985, 07-03-1985
//    (UK day first for every day-month-year numeral form), 7 Mar 1985, 7th March 1985,
//    March 7, 1985, and an ISO time after the date (1985-03-07T00:00:00Z). Two-digit years
//    and impossible dates (31/02, 13th month) give no date. Dates agree only when equal:
//    07/03/1985 and 03/07/1985 are different people.
//
// THE DECISION: a name agreeing without a date of birth is NOT the same person (namesakes
// are too many); same_person needs both dates, readable and equal, and the names agreeing
// with the tolerances above. same_name() is the names alone, without the date-only
// tolerances, for rules that combine it with other evidence.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace probity::rules {

/// One way of reading a name (step 3): forenames in order, surname barrels in order.
struct NameReading {
  std::vector<std::string> forenames;
  std::vector<std::string> surname;
};

/// Steps 2 and 3 for one name (no aliases): every reading with a surname and a forename.
std::vector<NameReading> read_name(std::string_view name);

/// Step 4: the spelling key of one normalised (upper-case ASCII) word.
std::string spelling_key(std::string_view word);

/// Step 4: whether two normalised words are one name, spelt differently.
bool same_word(std::string_view a, std::string_view b);

/// Steps 1-5 without a date of birth: any alias of `a` agrees with any alias of `b`.
bool same_name(std::string_view a, std::string_view b);

/// Steps 1-6: both dates of birth readable and equal, and the names agree.
bool same_person(std::string_view name_a, std::string_view dob_a, std::string_view name_b,
                 std::string_view dob_b);

}  // namespace probity::rules
