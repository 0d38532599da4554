/* assets/vendor-Cx1zrTQe.js */
