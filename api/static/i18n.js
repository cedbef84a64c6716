// Thai and English labels; the choice is kept in localStorage.
"use strict";
const I18N = {
  th: {
    tagline: "ระบบวิเคราะห์เครือข่ายการค้ามนุษย์", logout: "ออกจากระบบ", login_title: "เข้าสู่ระบบ",
    login_help: "ใช้ชื่อผู้ใช้และรหัสผ่านที่ผู้ดูแลระบบให้ไว้", username: "ชื่อผู้ใช้", password: "รหัสผ่าน",
    login: "เข้าสู่ระบบ", login_failed: "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", search: "ค้นหา",
    search_placeholder: "ชื่อ (ไทย/อังกฤษ) เลขบัตร โทรศัพท์ บัญชี เลขคดี",
    search_help: "พิมพ์ชื่อ เลขประจำตัว โทรศัพท์ เลขบัญชี หรือเลขคดี แล้วกดค้นหา คลิกผลลัพธ์เพื่อดูประวัติ",
    tab_profile: "ประวัติบุคคล", tab_network: "เครือข่าย", tab_money: "เส้นทางการเงิน", tab_rings: "ขบวนการ",
    tab_case: "คดี", tab_investigations: "แฟ้มสืบสวน", tab_stats: "สถิติ",
    profile_empty: "ค้นหาแล้วเลือกผลลัพธ์เพื่อดูประวัติ พร้อมแหล่งที่มาของข้อมูลทุกรายการ",
    names: "ชื่อ", identifiers: "เลขประจำตัว โทรศัพท์ บัญชี ที่อยู่", cases: "คดีและบทบาท", timeline: "ลำดับเหตุการณ์",
    kind: "ประเภท", value: "ข้อมูล", sources: "แหล่งที่มา (หน่วยงาน ระเบียน วันที่)", role: "บทบาท", date: "วันที่",
    event: "เหตุการณ์", agency: "หน่วยงาน", case_no: "เลขคดี", status_: "สถานะ", opened: "วันที่เปิด",
    show_network: "ดูเครือข่าย", trace_money: "ติดตามเงิน", hops: "จำนวนขั้น", per_node: "ต่อโหนด",
    all: "ทั้งหมด", date_from: "ตั้งแต่", date_to: "ถึง", apply: "กรอง", next_page: "หน้าถัดไปของโหนดใหญ่",
    path_to: "เส้นทางไปยัง", highlight_path: "แสดงเส้นทาง", export_png: "บันทึกภาพ PNG",
    save_investigation: "บันทึกเป็นแฟ้มสืบสวน", case_file: "รายงานสำนวน (HTML)", case_file_pdf: "รายงานสำนวน (PDF)",
    network_help: "คลิกโหนดเพื่อขยาย ดับเบิลคลิกเพื่อเปิดประวัติ", start_entity: "บัญชีหรือบุคคล",
    direction: "ทิศทาง", forward: "เงินไปที่ไหน", backward: "เงินมาจากไหน", trace: "ติดตาม",
    money_none: "ไม่พบการโอนเงิน", accounts: "บัญชี", amounts: "จำนวนเงิน (บาท)", times: "เวลา",
    total: "รวม", rings_none: "ยังไม่พบขบวนการ", members: "สมาชิก", victims: "ผู้เสียหาย", score: "คะแนน",
    open: "เปิด", case_empty: "เลือกคดีจากประวัติบุคคลเพื่อดูขั้นตอนคดี", stage: "ขั้นตอน",
    days_to_next: "วันถึงขั้นต่อไป", days_to_decision: "วันถึงคำวินิจฉัย", decision: "คำวินิจฉัย",
    total_days: "รวมทั้งสิ้น (วัน)", inv_none: "ยังไม่มีแฟ้มสืบสวน", name: "ชื่อแฟ้ม", notes: "บันทึก",
    shared_with: "แบ่งปันกับ", owner: "เจ้าของ", entities: "รายการ", new_name: "ชื่อแฟ้มสืบสวน",
    share_prompt: "แบ่งปันกับ (ชื่อผู้ใช้ คั่นด้วยจุลภาค)", saved: "บันทึกแล้ว", loading: "กำลังโหลด…",
    forbidden: "บทบาทของท่านไม่มีสิทธิ์ดูข้อมูลนี้", not_found: "ไม่พบ หรือไม่มีสิทธิ์เห็น",
    no_results: "ไม่พบผลลัพธ์", legend_types: "ประเภท", legend_roles: "บทบาทในคดี", truncated: "โหนดใหญ่ที่แสดงไม่ครบ",
    path_none: "ไม่พบเส้นทาง", drill: "ดูรายละเอียด", year: "ปี", add_note: "เพิ่มบันทึก", nodes: "โหนด", links: "ความเชื่อมโยง",
    stat_cases: "คดี: สอบสวน ฟ้อง พิพากษาลงโทษ", stat_victims_by_nationality: "ผู้เสียหายตามสัญชาติ",
    stat_victims_by_sex: "ผู้เสียหายตามเพศ", stat_victims_by_age_band: "ผู้เสียหายตามช่วงอายุ",
    stat_victims_by_exploitation: "ผู้เสียหายตามรูปแบบการแสวงประโยชน์", stat_complicit_officials: "เจ้าหน้าที่ที่เกี่ยวข้อง",
    stat_assets_seized: "ทรัพย์สินที่ยึด",
    linked_cases: "คดีอื่นที่เชื่อมโยงกัน", shared_persons: "บุคคลร่วม", shared_identifiers: "โทรศัพท์ บัญชี เอกสาร ที่อยู่ร่วม",
    linked_none: "ไม่พบคดีอื่นที่เชื่อมโยง", note_about: "บันทึกเกี่ยวกับรายการใด (รหัส)",
  },
  en: {
    tagline: "Trafficking network analysis", logout: "Log out", login_title: "Log in",
    login_help: "Use the user name and password your administrator gave you.", username: "User name",
    password: "Password", login: "Log in", login_failed: "Wrong user name or password", search: "Search",
    search_placeholder: "Name (Thai/Latin), ID, phone, account, case no.",
    search_help: "Type a name, ID number, phone, account or case number and press Search. Click a result to open the profile.",
    tab_profile: "Profile", tab_network: "Network", tab_money: "Money trail", tab_rings: "Rings", tab_case: "Case",
    tab_investigations: "Investigations", tab_stats: "Statistics",
    profile_empty: "Search, then pick a result to see the profile with the source of every fact.",
    names: "Names", identifiers: "IDs, phones, accounts, addresses", cases: "Cases and roles", timeline: "Timeline",
    kind: "Kind", value: "Value", sources: "Sources (agency, record, date)", role: "Role", date: "Date",
    event: "Event", agency: "Agency", case_no: "Case no.", status_: "Status", opened: "Opened",
    show_network: "Show network", trace_money: "Trace money", hops: "Hops", per_node: "Per node", all: "All",
    date_from: "From", date_to: "To", apply: "Apply", next_page: "Next page of hubs", path_to: "Path to",
    highlight_path: "Highlight path", export_png: "Export PNG", save_investigation: "Save as investigation",
    case_file: "Case file (HTML)", case_file_pdf: "Case file (PDF)",
    network_help: "Click a node to expand it, double-click to open its profile.", start_entity: "Account or person",
    direction: "Direction", forward: "Where did it go", backward: "Where did it come from", trace: "Trace",
    money_none: "No transfers found", accounts: "Accounts", amounts: "Amounts (THB)", times: "Times", total: "Total",
    rings_none: "No rings detected yet", members: "Members", victims: "Victims", score: "Score", open: "Open",
    case_empty: "Pick a case in a profile to see its life across agencies.", stage: "Stage",
    days_to_next: "Days to next stage", days_to_decision: "Days to decision", decision: "Decision",
    total_days: "Total (days)", inv_none: "No saved investigations yet", name: "Name", notes: "Notes",
    shared_with: "Shared with", owner: "Owner", entities: "Entities", new_name: "Name of the investigation",
    share_prompt: "Share with (user names, comma separated)", saved: "Saved", loading: "Loading…",
    forbidden: "Your role may not see this", not_found: "Not found, or not visible to your role",
    no_results: "No results", legend_types: "Types", legend_roles: "Case roles", truncated: "Hubs not fully drawn",
    path_none: "No path found", drill: "Drill down", year: "Year", add_note: "Add note", nodes: "nodes", links: "links",
    stat_cases: "Cases: investigations, prosecutions, convictions", stat_victims_by_nationality: "Victims by nationality",
    stat_victims_by_sex: "Victims by sex", stat_victims_by_age_band: "Victims by age band",
    stat_victims_by_exploitation: "Victims by form of exploitation", stat_complicit_officials: "Complicit officials",
    stat_assets_seized: "Assets seized",
    linked_cases: "Linked cases", shared_persons: "Shared persons", shared_identifiers: "Shared phones, accounts, documents, addresses",
    linked_none: "No linked cases", note_about: "A note on which entity (id)?",
  },
};
let LANG = localStorage.getItem("tipgraph.lang") || "th";

function t(key) { return (I18N[LANG] && I18N[LANG][key]) || I18N.en[key] || key; }

function applyI18n(root) {
  (root || document).querySelectorAll("[data-i18n]").forEach(el => { el.textContent = t(el.dataset.i18n); });
  (root || document).querySelectorAll("[data-i18n-placeholder]").forEach(el => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  document.documentElement.lang = LANG;
  const btn = document.getElementById("lang");
  if (btn) btn.textContent = LANG === "th" ? "EN" : "ไทย";
}
