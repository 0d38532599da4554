// cachebust example site: marks the page as scripted.
document.addEventListener("DOMContentLoaded", () => {
  document.body.dataset.scripted = "yes";
});
