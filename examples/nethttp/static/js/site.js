document.addEventListener("DOMContentLoaded", () => {
  const el = document.querySelector("#loaded");
  if (el) el.textContent = "JavaScript loaded.";
});
